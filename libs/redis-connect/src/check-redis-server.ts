import type { Cluster, Redis } from 'ioredis';
import { sharedSettings } from '@turnpool/config';
import type { Logger } from '@turnpool/protocol';
import { checkKeyPrefix } from './check-key-prefix.ts';
import { parseRedisInfo, type RedisServerInfo } from './parse-redis-info.ts';
import { RedisGuardError } from './redis-guard-error.ts';

export interface CheckRedisServerOptions {
  /** The configured key prefix (checked with {@link checkKeyPrefix}). @defaultValue sharedSettings.keyPrefix */
  keyPrefix?: string;
  /** Told when INFO cannot be read (an ACL user without `info`): the checks are then skipped. @defaultValue none */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Startup guards every turnpool process runs once it reaches Redis:
 * - `maxmemory-policy` must be `noeviction`: BullMQ keeps job state in Redis, and an evicting
 *   policy silently drops jobs and locks (accepted turns would vanish). Read from `INFO memory`
 *   (works where `CONFIG` is disabled, e.g. ElastiCache, and for least-privilege ACL users).
 * - the key prefix must give every key of a turn one hash tag ({@link checkKeyPrefix}); on a
 *   Cluster (`cluster_enabled:1`) the error says so.
 * - a connection to one node (`redis://`) must not reach a Cluster node: it would fail on the
 *   first key of another node's slot (MOVED, or EXECABORT in a MULTI) as if Redis were down.
 * On a Cluster connection (`redis+cluster://`, libs/redis-connect createRedis) every master is
 * checked (each holds its own share of the keys, so each must keep them).
 * @returns what INFO said (on a Cluster: the first master's answer).
 * @throws RedisGuardError (`redis_eviction_policy`, `redis_cluster_key_prefix`, `redis_key_prefix`, `redis_cluster_node`).
 */
export async function checkRedisServer(redis: Redis | Cluster, opts: CheckRedisServerOptions = {}): Promise<RedisServerInfo | undefined> {
  if (!redis.isCluster) return checkNode(redis as Redis, opts, false);
  const cluster = redis as Cluster;
  if (cluster.status === 'wait') await cluster.connect();
  const masters = cluster.nodes('master');
  if (masters.length === 0) throw new Error('the Redis Cluster has no reachable master (CLUSTER SLOTS named none)');
  let first: RedisServerInfo | undefined;
  for (const node of masters) {
    const info = await checkNode(node, opts, true);
    first ??= info;
  }
  return first;
}

async function checkNode(redis: Redis, opts: CheckRedisServerOptions, viaCluster: boolean): Promise<RedisServerInfo | undefined> {
  const prefix = opts.keyPrefix ?? sharedSettings.keyPrefix.default;
  const where = viaCluster ? `Redis Cluster master ${redis.options.host ?? '?'}:${redis.options.port ?? '?'}: ` : '';
  let info: RedisServerInfo;
  try {
    info = parseRedisInfo(`${await redis.info('memory')}\n${await redis.info('cluster')}\n${await redis.info('server')}`);
  } catch (err) {
    checkKeyPrefix(prefix);
    opts.logger?.warn(
      { err: { message: (err as Error).message } },
      'cannot read Redis INFO: skipped the maxmemory-policy check (grant the ACL user +info)',
    );
    return undefined;
  }
  try {
    checkKeyPrefix(prefix);
  } catch (err) {
    if (err instanceof RedisGuardError && info.clusterEnabled) {
      throw new RedisGuardError('redis_cluster_key_prefix', `Redis is a Cluster node and ${err.message}`, err.field);
    }
    throw err;
  }
  if (info.clusterEnabled && !viaCluster) {
    throw new RedisGuardError(
      'redis_cluster_node',
      'this Redis is a Redis Cluster node, and a redis:// URL reaches one node only (keys of the other nodes\' slots would fail). Configure redis.url as redis+cluster://host:port[,host:port…] (rediss+cluster:// for TLS) with one or more of its nodes: docs/configuration.md, "Redis Cluster".',
      'redis.url',
    );
  }
  if (info.maxmemoryPolicy !== undefined && info.maxmemoryPolicy !== 'noeviction') {
    throw new RedisGuardError(
      'redis_eviction_policy',
      `${where}Redis maxmemory-policy is "${info.maxmemoryPolicy}"; turnpool (BullMQ) needs "noeviction", or Redis may evict queued turns and their locks. Set it: \`redis-cli CONFIG SET maxmemory-policy noeviction\` (and in redis.conf / the ElastiCache parameter group).`,
      'maxmemory-policy',
    );
  }
  return info;
}
