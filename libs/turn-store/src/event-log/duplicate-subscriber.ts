import type { Cluster, Redis } from 'ioredis';

/**
 * A subscriber connection to the same Redis as `redis` (with `lazy`, the caller connects it). On a
 * Cluster it gets sharded subscribers (one per master) for SSUBSCRIBE (channel-hub.ts); the two
 * classes' `duplicate()` differ (a Cluster's takes seed nodes first).
 */
export function duplicateSubscriber(redis: Redis | Cluster, opts: { connectionName?: string; lazy?: boolean } = {}): Redis | Cluster {
  const { connectionName, lazy = false } = opts;
  if (!redis.isCluster) {
    return (redis as Redis).duplicate({ lazyConnect: lazy, ...(connectionName ? { connectionName } : {}) });
  }
  const cluster = redis as Cluster;
  return cluster.duplicate([], {
    lazyConnect: lazy,
    shardedSubscribers: true,
    redisOptions: { ...cluster.options.redisOptions, ...(connectionName ? { connectionName } : {}) },
  });
}
