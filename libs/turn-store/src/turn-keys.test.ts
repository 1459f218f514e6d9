import { describe, expect, it } from 'vitest';
import { redisKeys } from './redis-keys.ts';

describe('redisKeys', () => {
  it('puts every key in one cluster slot through a hash tag', () => {
    const k = redisKeys('tp');
    const names = [
      k.queuePrefix, k.turnStream('a'), k.turnChannel('a'), k.turnState('a'), k.turnCancelFlag('a'), k.cancelChannel,
      k.catalog('h'), k.catalogLock('h'), k.catalogUnavailable('h'), k.lock('x'),
    ];
    for (const name of names) expect(name.startsWith('{tp}')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(k.turnStream('a')).toBe('{tp}:turn:a:events');
    expect(k.turnChannel('a')).toBe('{tp}:turn:a:live');
    expect(k.queuePrefix).toBe('{tp}');
  });
});
