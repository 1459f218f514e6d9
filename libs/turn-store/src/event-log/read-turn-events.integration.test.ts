import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import { createTurnWriter } from './create-turn-writer.ts';
import { lastTurnEvent } from './read-last-turn-event.ts';
import { readTurnEvents } from './read-turn-events.ts';
import { subscribeTurn } from './subscribe-turn.ts';

describe('readTurnEvents / lastTurnEvent', () => {
  const prefix = uniquePrefix('turn-read');
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    const w = await createTurnWriter({ redis, keyPrefix: prefix, turnId: 'r' });
    await Promise.all(Array.from({ length: 1100 }, (_, i) => w.write({ type: 'text-delta', index: 0, text: `${i}` })));
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('reads everything after `after`, across pages, up to `limit`', async () => {
    expect((await readTurnEvents(redis, prefix, 'r')).map((e) => e.seq)).toEqual(Array.from({ length: 1100 }, (_, i) => i + 1));
    expect((await readTurnEvents(redis, prefix, 'r', 1097)).map((e) => e.seq)).toEqual([1098, 1099, 1100]);
    expect((await readTurnEvents(redis, prefix, 'r', 10, { limit: 3 })).map((e) => e.seq)).toEqual([11, 12, 13]);
    expect(await readTurnEvents(redis, prefix, 'r', 0, { limit: 700 })).toHaveLength(700);
    expect(await readTurnEvents(redis, prefix, 'r', 1100)).toEqual([]);
    expect((await lastTurnEvent(redis, prefix, 'r'))?.seq).toBe(1100);
  });

  it('an unknown turn reads as empty with last seq 0', async () => {
    expect(await readTurnEvents(redis, prefix, 'nobody')).toEqual([]);
    expect(await lastTurnEvent(redis, prefix, 'nobody')).toBeUndefined();
  });

  it('a stream entry that is not a turn event is corrupt_event, for replay and for subscribers', async () => {
    const key = turnKeys(prefix).events('corrupt');
    await redis.xadd(key, '1-0', 'e', JSON.stringify({ type: 'text-delta', seq: 1 }));
    await redis.xadd(key, '2-0', 'e', JSON.stringify({ type: 'text-delta', seq: 5 })); // seq does not match the id
    await redis.xadd(key, '3-0', 'x', '{}');
    await expect(readTurnEvents(redis, prefix, 'corrupt')).rejects.toMatchObject({ code: 'corrupt_event' });
    await expect(readTurnEvents(redis, prefix, 'corrupt', 2)).rejects.toMatchObject({ code: 'corrupt_event' });
    await expect(
      (async () => {
        for await (const _ of subscribeTurn({ redis, keyPrefix: prefix, turnId: 'corrupt' })) {
          /* consume */
        }
      })(),
    ).rejects.toMatchObject({ code: 'corrupt_event' });
    expect(Number((await redis.pubsub('NUMSUB', turnKeys(prefix).live('corrupt')))[1])).toBe(0);
  });

  it('validates its arguments', async () => {
    await expect(readTurnEvents(redis, prefix, 'a b')).rejects.toMatchObject({ field: 'turnId' });
    await expect(readTurnEvents(redis, '{x', 'r')).rejects.toMatchObject({ field: 'keyPrefix' });
    await expect(readTurnEvents(redis, prefix, 'r', -1)).rejects.toMatchObject({ field: 'after' });
    await expect(readTurnEvents(redis, prefix, 'r', 0, { limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(lastTurnEvent(redis, prefix, '__proto__:x')).rejects.toMatchObject({ field: 'turnId' });
  });
});
