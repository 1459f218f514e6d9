import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisTarget } from '@turnpool/config';

/** A connection to turnpool's Redis: one node, or a Redis Cluster (`redis+cluster://`). */
export type RedisClient = Redis | Cluster;

/** What a role asks of its connection; the same for one node and a Cluster. */
export type RedisRoleOptions = Pick<
  RedisOptions,
  | 'lazyConnect'
  | 'maxRetriesPerRequest'
  | 'connectTimeout'
  | 'commandTimeout'
  | 'enableAutoPipelining'
  | 'connectionName'
  | 'retryStrategy'
  | 'enableOfflineQueue'
>;

/**
 * The one place a turnpool process makes a Redis connection from its configured URL
 * (`redis.url`, REDIS_URL, `--redis-url`; see {@link parseRedisTarget}): a `Redis` for
 * `redis://` / `rediss://`, exactly as before, or a `Cluster` for `redis+cluster://` /
 * `rediss+cluster://` with the same role options mapped onto it (`retryStrategy` becomes the
 * Cluster's `clusterRetryStrategy`, per-node options go to `redisOptions`). `shardedSubscribers`
 * (Cluster only) opens one subscriber connection per master for SSUBSCRIBE: only connections
 * that follow turns live ask for it.
 * @throws RedisUrlError for a URL it cannot read.
 */
export function createRedis(url: string, options: RedisRoleOptions & { shardedSubscribers?: boolean } = {}): RedisClient {
  const target = parseRedisTarget(url);
  const { shardedSubscribers, ...role } = options;
  if (target.kind === 'single') return new Redis(target.url, role);
  const { lazyConnect, enableAutoPipelining, enableOfflineQueue, retryStrategy, ...perNode } = role;
  return new Cluster(target.nodes, {
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
    shardedSubscribers: shardedSubscribers === true,
    ...(Object.keys(target.natMap).length > 0 ? { natMap: target.natMap } : {}),
    ...(target.dnsLookup === 'passthrough'
      ? { dnsLookup: (address: string, done: (err: null, a: string) => void) => done(null, address) }
      : {}),
    redisOptions: {
      ...perNode,
      ...(target.username === undefined ? {} : { username: target.username }),
      ...(target.password === undefined ? {} : { password: target.password }),
      ...(target.tls ? { tls: {} } : {}),
    },
  });
}

/**
 * The `connection` option of a BullMQ Worker / QueueEvents that opens its own connections: the
 * URL's options as before for one node (BullMQ connects and closes them itself), a dedicated
 * Cluster connection for `redis+cluster://` (BullMQ takes no cluster URL; it duplicates the
 * instance for its blocking connection). `close()` disconnects that instance once BullMQ closed
 * (nothing for one node).
 */
export function bullmqConnection(url: string, options: RedisRoleOptions = {}): { connection: object; close(): void } {
  if (parseRedisTarget(url).kind === 'single') return { connection: { url, ...options }, close: () => {} };
  const cluster = createRedis(url, options);
  cluster.on('error', () => {}); // BullMQ reports the errors of its connections through its own 'error' event
  return { connection: cluster, close: () => cluster.disconnect() };
}
