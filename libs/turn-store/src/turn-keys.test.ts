import { describe, expect, it } from 'vitest';
import { turnKeys } from './turn-keys.ts';

describe('turnKeys', () => {
  it('puts every key of a turn in one cluster slot through a hash tag', () => {
    const k = turnKeys('tp');
    const names = [k.queuePrefix, k.events('a'), k.live('a'), k.record('a'), k.cancelFlag('a'), k.cancelChannel];
    for (const name of names) expect(name.startsWith('{tp}')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(k.events('a')).toBe('{tp}:turn:a:events');
    expect(k.live('a')).toBe('{tp}:turn:a:live');
    expect(k.record('a')).toBe('{tp}:turn:a:state');
    expect(k.queuePrefix).toBe('{tp}');
  });
});
