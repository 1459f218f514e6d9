import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { turnKeys } from '@turnpool/turn-store';
import { checkKeyPrefix } from './check-key-prefix.ts';
import { hashTagOf } from './hash-tag-of.ts';
import { RedisGuardError } from './redis-guard-error.ts';

describe('hashTagOf (Redis Cluster rules)', () => {
  it('takes the text between the first { and the next }, or the whole key when that is empty or missing', () => {
    expect(hashTagOf('{turnpool}:turn:t1:events')).toBe('turnpool');
    expect(hashTagOf('{}:turn:t1')).toBe('{}:turn:t1');
    expect(hashTagOf('plain:key')).toBe('plain:key');
    expect(hashTagOf('{a{b}c}')).toBe('a{b');
    expect(hashTagOf('{}a}:x')).toBe('{}a}:x');
    expect(hashTagOf('x{open')).toBe('x{open');
  });
});

describe('checkKeyPrefix', () => {
  it('accepts every prefix the config allows (1-64 of A-Z a-z 0-9 _ . : -)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), (p) => {
        expect(() => checkKeyPrefix(p)).not.toThrow();
      }),
    );
  });

  it('refuses empty, braced, oversized and non-string prefixes, naming redis.keyPrefix', () => {
    for (const bad of ['', '}a', 'a{b}', '{turnpool}', 'x'.repeat(65), 5 as unknown as string, undefined as unknown as string]) {
      let err: unknown;
      try {
        checkKeyPrefix(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RedisGuardError);
      expect((err as RedisGuardError).field).toBe('redis.keyPrefix');
      expect((err as RedisGuardError).message).toMatch(/^redis\.keyPrefix: /);
      expect((err as RedisGuardError).retryable).toBe(false);
    }
  });

  it("every prefix it accepts gives a turn's keys one hash tag of their own and the queue the prefix's", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (p) => {
        try {
          checkKeyPrefix(p);
        } catch {
          return;
        }
        const k = turnKeys(p);
        const tags = new Set([k.events('t-1'), k.live('t-1'), k.record('t-1'), k.cancelFlag('t-1')].map(hashTagOf));
        expect([...tags]).toEqual([`${p}/turn/t-1`]);
        expect(new Set([k.cancelChannel, `${k.queuePrefix}:turns:wait`].map(hashTagOf))).toEqual(new Set([p]));
      }),
    );
  });
  it('never throws anything but a RedisGuardError for hostile strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (p) => {
        try {
          checkKeyPrefix(p);
        } catch (e) {
          expect(e).toBeInstanceOf(RedisGuardError);
        }
      }),
    );
  });
});
