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
  const sub = cluster.duplicate([], {
    lazyConnect: lazy,
    shardedSubscribers: true,
    redisOptions: { ...cluster.options.redisOptions, ...(connectionName ? { connectionName } : {}) },
  });
  // A Cluster with sharded subscribers reports a subscriber that cannot connect (the master of a
  // slot just killed, until its replica takes over) with a plain emit('error'), which throws when
  // nothing listens: it crashed the dispatcher (chaos scenario 10). A one-node Redis only logs an
  // unheard error. The failures reach the subscribers anyway (their reads fail, they resume), so
  // this listener only keeps the process alive; callers add their own to log.
  sub.on('error', () => {});
  return sub;
}
