import { resolveSetting } from '@turnpool/config';
import { RedisGuardError } from './redis-guard-error.ts';

/**
 * Refuses a key prefix the shared rule refuses (libs/config `sharedSettings.keyPrefix`: 1-64
 * characters, no braces). turnpool wraps the prefix in its own hash tag (`{prefix}`), so every
 * key of a turn lands in one Cluster slot (BullMQ's Lua scripts and our MULTI need that); an
 * empty prefix (tag `{}`) or a brace inside it would break the tag. The rule holds everywhere,
 * not only on a Cluster, so a stack that works on one Redis keeps working when moved to a Cluster.
 * @throws RedisGuardError code `redis_key_prefix` (field `redis.keyPrefix`).
 */
export function checkKeyPrefix(prefix: string): void {
  try {
    resolveSetting('keyPrefix', prefix ?? '', 'redis.keyPrefix:');
  } catch (err) {
    throw new RedisGuardError(
      'redis_key_prefix',
      `${(err as Error).message}; turnpool wraps the prefix in its own {…} hash tag so a turn's keys share one Redis Cluster slot (an empty prefix or a brace would break the tag).`,
      'redis.keyPrefix',
    );
  }
}
