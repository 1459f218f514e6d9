import type { Cluster, Redis } from 'ioredis';

/**
 * Deletes every key that contains `prefix` (SCAN, never KEYS), so tests leave nothing behind.
 * On a Cluster every master is scanned, and keys are deleted one by one (a multi-key UNLINK
 * must stay within one slot).
 */
export async function cleanupPrefix(redis: Redis | Cluster, prefix: string): Promise<number> {
  if (!redis.isCluster) return cleanupNode(redis as Redis, prefix, false);
  let deleted = 0;
  for (const node of (redis as Cluster).nodes('master')) deleted += await cleanupNode(node, prefix, true);
  return deleted;
}

async function cleanupNode(redis: Redis, prefix: string, oneByOne: boolean): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length === 0) continue;
    if (!oneByOne) deleted += await redis.unlink(...keys);
    else for (const key of keys) deleted += await redis.unlink(key);
  } while (cursor !== '0');
  return deleted;
}
