/**
 * Redis key names used by every turnpool process. All keys share one prefix and a
 * hash tag (`{prefix}`) so that a Redis Cluster keeps them in one slot.
 */
export function redisKeys(prefix = 'turnpool') {
  const tag = `{${prefix}}`;
  return {
    /** BullMQ prefix for the turn queue. */
    queuePrefix: tag,
    /** Redis Stream holding every event of one turn (replay). */
    turnStream: (turnId: string) => `${tag}:turn:${turnId}:events`,
    /** Pub/sub channel carrying the same events live. */
    turnChannel: (turnId: string) => `${tag}:turn:${turnId}:live`,
  } as const;
}
