/**
 * Redis key names used by every turnpool process. All keys share one prefix and a
 * hash tag (`{prefix}`) so that a Redis Cluster keeps them in one slot. Turn ids are
 * restricted to `[A-Za-z0-9._-]`, so they can never forge another key.
 */
export function redisKeys(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    /** BullMQ prefix for the turn queue. */
    queuePrefix: tag,
    /** Redis Stream holding every event of one turn (replay). */
    turnStream: (turnId: string) => `${tag}:turn:${turnId}:events`,
    /** Pub/sub channel carrying the same events live. */
    turnChannel: (turnId: string) => `${tag}:turn:${turnId}:live`,
    /** Hash with a turn's state (status, attempt, owner, timestamps). */
    turnState: (turnId: string) => `${tag}:turn:${turnId}:state`,
    /** Flag set when a cancel was requested, so a turn not yet started is cancelled when picked up. */
    turnCancelFlag: (turnId: string) => `${tag}:turn:${turnId}:cancel`,
    /** Pub/sub channel every worker host listens on; a message is a turn id to cancel. */
    cancelChannel: `${tag}:cancel`,
    /** The cached model catalog for one (region, credential identity, filter) hash. */
    catalog: (cacheKey: string) => `${tag}:catalog:${cacheKey}`,
    /** Single-flight lock for refreshing that catalog. */
    catalogLock: (cacheKey: string) => `${tag}:catalog:${cacheKey}:lock`,
    /** Hash of model id -> reason, for models found unavailable at run time (AccessDenied). */
    catalogUnavailable: (cacheKey: string) => `${tag}:catalog:${cacheKey}:unavailable`,
    /**
     * Fleet-wide admission for one quota key (`<region>/<model or profile id>`): the budget's
     * state hash; `quotaPart(key, part)` names its leases, waitlist and counters.
     */
    quota: (quotaKey: string) => `${tag}:quota:${quotaKey}`,
    quotaPart: (quotaKey: string, part: 'leases' | 'lease-need' | 'wait' | 'wait-need' | 'wait-seen' | 'throttles' | `day:${string}`) => `${tag}:quota:${quotaKey}:${part}`,
    /** Set of every quota key seen (for `turnpool quotas`). */
    quotaKeys: `${tag}:quota-keys`,
    /** A generic named lock (e.g. `lock('shutdown:host-1')`). */
    lock: (name: string) => `${tag}:lock:${name}`,
  } as const;
}

/** The key names for one prefix. */
export type RedisKeys = ReturnType<typeof redisKeys>;
