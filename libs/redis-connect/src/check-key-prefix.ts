import { hashTagOf } from './hash-tag-of.ts';
import { RedisGuardError } from './redis-guard-error.ts';

/** Longest key prefix accepted (the config's own limit). */
export const maxKeyPrefixLength = 64;

/**
 * Representative keys of one turn and of the queue, spelled exactly as libs/protocol `redisKeys`
 * and BullMQ spell them (`{prefix}:…`): if these share one hash tag, every key turnpool touches
 * for a turn lands in one Cluster slot (BullMQ's Lua scripts and our MULTI need that).
 */
function sampleKeys(prefix: string): string[] {
  const tag = `{${prefix}}`;
  return [
    `${tag}:turns:wait`, `${tag}:turns:active`, `${tag}:turns:id`, `${tag}:turns:t-1`, `${tag}:turns:events`,
    `${tag}:turn:t-1:events`, `${tag}:turn:t-1:state`, `${tag}:turn:t-1:cancel`, `${tag}:cancel`,
  ];
}

/**
 * Refuses a key prefix that would split a turn's keys across Redis Cluster slots.
 * turnpool always wraps the prefix in its own hash tag (`{prefix}`), so a plain prefix is
 * always safe; what breaks the tag is a prefix that is empty or carries braces itself
 * (`""` -> `{}` hashes whole keys; `"}a"` -> `{}a}` the same; `"a{b}c"` -> tag `a{b`, fine
 * but unreadable). Decision: refuse empty prefixes and any brace, everywhere (not only on a
 * Cluster), so a stack that works on one Redis keeps working when moved to a Cluster.
 * @throws RedisGuardError code `redis_key_prefix` (field `redis.keyPrefix`).
 */
export function checkKeyPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new RedisGuardError('redis_key_prefix', 'redis.keyPrefix: must not be empty (an empty prefix makes the hash tag "{}", which Redis Cluster ignores, so a turn\'s keys would be spread over slots).', 'redis.keyPrefix');
  }
  if (prefix.length > maxKeyPrefixLength) {
    throw new RedisGuardError('redis_key_prefix', `redis.keyPrefix: at most ${maxKeyPrefixLength} characters (got ${prefix.length}).`, 'redis.keyPrefix');
  }
  if (/[{}]/.test(prefix)) {
    throw new RedisGuardError('redis_key_prefix', `redis.keyPrefix: must not contain "{" or "}" (got ${JSON.stringify(prefix.slice(0, 64))}); turnpool wraps the prefix in its own {…} hash tag so a turn's keys share one Redis Cluster slot.`, 'redis.keyPrefix');
  }
  const tags = new Set(sampleKeys(prefix).map(hashTagOf));
  if (tags.size !== 1 || tags.has(sampleKeys(prefix)[0] ?? '')) {
    throw new RedisGuardError('redis_cluster_key_prefix', `redis.keyPrefix: ${JSON.stringify(prefix)} would spread a turn's keys over several Redis Cluster slots.`, 'redis.keyPrefix');
  }
}
