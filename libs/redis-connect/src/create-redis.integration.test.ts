import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { startRedisCluster, type OwnRedisCluster } from '@turnpool/testing';
import { checkRedisServer } from './check-redis-server.ts';
import { createRedis } from './create-redis.ts';
import { RedisGuardError } from './redis-guard-error.ts';

describe('createRedis and checkRedisServer on a real Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => cluster?.stop());

  it('a redis+cluster:// URL gives a Cluster that reaches keys of every slot; a redis:// URL stays one node', async () => {
    const c = createRedis(cluster.url, { maxRetriesPerRequest: 1 });
    const one = createRedis(`redis://127.0.0.1:${cluster.nodes[0]?.port}`, { lazyConnect: true });
    try {
      expect(c).toBeInstanceOf(Cluster);
      expect(one).toBeInstanceOf(Redis);
      for (let i = 0; i < 20; i++) await c.set(`{k${i}}:x`, String(i));
      expect(await c.get('{k19}:x')).toBe('19');
    } finally {
      c.disconnect();
      one.disconnect();
    }
  });

  it('checks every master: passes a noeviction cluster, refuses one evicting master by its address', async () => {
    const c = createRedis(cluster.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    c.on('error', () => {});
    const [, second] = await cluster.masterPorts();
    const admin = cluster.connectNode(second ?? 0);
    try {
      await expect(checkRedisServer(c, { keyPrefix: 'shop-a' })).resolves.toMatchObject({ clusterEnabled: true });
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const err = await checkRedisServer(c).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RedisGuardError);
      expect((err as RedisGuardError).code).toBe('redis_eviction_policy');
      expect((err as Error).message).toContain(`master 127.0.0.1:${second}`);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
      c.disconnect();
    }
  });
});
