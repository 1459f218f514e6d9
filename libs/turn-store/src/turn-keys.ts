/**
 * The Redis names of everything addressed by a turn id, and of the read side built over them
 * (the recent-turns index, host heartbeats, per-minute model figures). All share one prefix and its hash tag
 * (`{prefix}`), so a Redis Cluster keeps a turn's keys, its BullMQ job and the cancel channel
 * in one slot. Turn ids are restricted to `[A-Za-z0-9._-]`, so they can never forge another key.
 */
export function turnKeys(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    /** BullMQ prefix for the turn queue (job id = turn id). */
    queuePrefix: tag,
    /** Redis Stream holding every event of one turn (the event log, replay). */
    events: (turnId: string) => `${tag}:turn:${turnId}:events`,
    /** Pub/sub channel carrying the same events live. */
    live: (turnId: string) => `${tag}:turn:${turnId}:live`,
    /** Hash with the turn's record: fingerprint, ref, modelId, submittedAt (and `pending` while being enqueued). */
    record: (turnId: string) => `${tag}:turn:${turnId}:state`,
    /** Flag set when a cancel was requested, so a turn not yet started is cancelled when picked up. */
    cancelFlag: (turnId: string) => `${tag}:turn:${turnId}:cancel`,
    /** Pub/sub channel every worker host listens on; a message is a cancel message (cancel/turn-cancel.ts). */
    cancelChannel: `${tag}:cancel`,
    /**
     * Sorted set of recent turn ids scored by submit time (epoch ms): the index `listTurns()` pages
     * through. Shared by all turns, so under the `{prefix}` tag; bounded by count and age.
     */
    turnIndex: `${tag}:turns`,
    /** String (JSON heartbeat record) of one worker host, expiring after the heartbeat TTL. */
    host: (hostId: string) => `${tag}:host:${hostId}`,
    /** Sorted set of host ids scored by their last beat (epoch ms): which heartbeat keys to read. */
    hosts: `${tag}:hosts`,
    /** Hash of one minute's per-model figures (turns ended, output tokens), field `<count>|<modelId>`; expires after an hour. */
    liveMinute: (minute: number) => `${tag}:live:${minute}`,
    /** List of one minute's time-to-first-token samples (ms) of one model, capped. */
    liveTtft: (minute: number, modelId: string) => `${tag}:live:${minute}:ttft:${modelId}`,
  } as const;
}

/** The turn key names for one prefix. */
export type TurnKeys = ReturnType<typeof turnKeys>;
