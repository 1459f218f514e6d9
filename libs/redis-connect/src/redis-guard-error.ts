/** Codes of {@link RedisGuardError}. */
export type RedisGuardErrorCode = 'redis_eviction_policy' | 'redis_cluster_key_prefix' | 'redis_key_prefix' | 'redis_cluster_node';

/**
 * A Redis server (or a key prefix) turnpool refuses to start on. Never retryable: an operator
 * must change the server's config or the prefix. The message names the setting and the fix.
 */
export class RedisGuardError extends Error {
  override readonly name = 'RedisGuardError';
  readonly retryable = false;
  constructor(
    readonly code: RedisGuardErrorCode,
    message: string,
    /** The setting at fault: `maxmemory-policy`, `redis.keyPrefix` or `redis.url`. */
    readonly field: string,
  ) {
    super(message);
  }
}
