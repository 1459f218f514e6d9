import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import { listHosts, startHostHeartbeat } from './host-heartbeat.ts';

const figures = (hostId: string) => ({
  hostId,
  hostname: 'test',
  pid: 1,
  version: '0.0.0',
  startedAt: 1,
  threads: 1,
  runningTurns: 0,
  maxTurns: 64,
});

describe('host heartbeats (real Redis)', () => {
  const prefix = uniquePrefix('heartbeat');
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a host whose beats stop (its connection is gone) leaves the list after the TTL; a stopped one at once', async () => {
    const lost = new Redis(testRedisUrl(), { maxRetriesPerRequest: 0, retryStrategy: () => null });
    lost.on('error', () => {});
    const a = await startHostHeartbeat({ redis, keyPrefix: prefix, intervalMs: 100, ttlMs: 400, read: () => figures('a') });
    const b = await startHostHeartbeat({
      redis: lost,
      keyPrefix: prefix,
      intervalMs: 100,
      ttlMs: 400,
      read: () => figures('b'),
      onError: () => {},
    });
    expect((await listHosts(redis, prefix)).map((h) => h.hostId)).toEqual(['a', 'b']);
    const first = (await listHosts(redis, prefix))[0]!.lastSeenAt;
    await new Promise((r) => setTimeout(r, 250));
    expect((await listHosts(redis, prefix))[0]!.lastSeenAt).toBeGreaterThan(first);

    lost.disconnect(); // b misses every beat from now on
    const cut = Date.now();
    for (;;) {
      const ids = (await listHosts(redis, prefix)).map((h) => h.hostId);
      if (!ids.includes('b')) break;
      expect(Date.now() - cut).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(Date.now() - cut).toBeGreaterThanOrEqual(150); // not before its last beat's TTL ran out
    expect((await listHosts(redis, prefix)).map((h) => h.hostId)).toEqual(['a']);
    await b.stop().catch(() => {});

    await a.stop();
    await a.stop();
    expect(await listHosts(redis, prefix)).toEqual([]);
    expect(await redis.exists(turnKeys(prefix).host('a'), turnKeys(prefix).hosts)).toBe(0);
  });

  it('refuses a TTL that is not above the interval', async () => {
    await expect(startHostHeartbeat({ redis, keyPrefix: prefix, intervalMs: 500, ttlMs: 500, read: () => figures('x') })).rejects.toThrow(
      /ttlMs \(500\) must be above intervalMs \(500\)/,
    );
  });
});
