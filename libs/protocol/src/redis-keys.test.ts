import { describe, expect, it } from 'vitest';
import { redisKeys } from './redis-keys.ts';

describe('redisKeys', () => {
  it('puts every key in one cluster slot through a hash tag', () => {
    const k = redisKeys('tp');
    expect(k.turnStream('a')).toBe('{tp}:turn:a:events');
    expect(k.turnChannel('a')).toBe('{tp}:turn:a:live');
    expect(k.queuePrefix).toBe('{tp}');
  });
});
