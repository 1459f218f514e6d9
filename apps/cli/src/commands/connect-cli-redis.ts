import type { Cluster, Redis } from 'ioredis';
import { createRedis } from '@turnpool/redis-connect';

/**
 * A Redis connection for a short-lived command (`models`, `quotas`): one connect attempt, no
 * reconnect loop, so an unreachable Redis ends the command promptly. Undefined when it cannot
 * connect; the caller says so (with `maskRedisUrl`).
 */
export async function connectCliRedis(url: string): Promise<Redis | Cluster | undefined> {
  const redis = createRedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

/** The URL without its password, for messages. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
