/**
 * The Redis names of everything addressed by a turn id, and of the read side built over them
 * (the recent-turns index, host heartbeats, per-minute model figures). Two hash tags (Redis Cluster slots):
 * - `{prefix}`: what the whole fleet shares — the BullMQ queue (its Lua scripts need all its
 *   keys in one slot), the cancel channel every host listens on, and the read side's index,
 *   heartbeats and minute figures;
 * - `{prefix/turn/<turnId>}`: one turn's own keys (events stream, live channel, record, cancel
 *   flag), so turns spread over the Cluster's slots, while the scripts that touch several keys of
 *   one turn still find them in one slot. `/` is allowed in neither a prefix nor a turn id, so
 *   no prefix's tag can collide with another's turn tag.
 * No script or MULTI takes keys of both tags (docs/architecture.md, "Key layout").
 * Turn ids are restricted to `[A-Za-z0-9._-]`, so they can never forge another key.
 */
export function turnKeys(prefix: string) {
  const tag = `{${prefix}}`;
  const turn = (turnId: string) => `{${prefix}/turn/${turnId}}`;
  return {
    /** BullMQ prefix for the turn queue (job id = turn id). */
    queuePrefix: tag,
    /** The hash tag of one turn's own keys (one Cluster slot per turn). */
    turnTag: turn,
    /** Redis Stream holding every event of one turn (the event log, replay). */
    events: (turnId: string) => `${turn(turnId)}:events`,
    /** Pub/sub channel carrying the same events live (sharded pub/sub on a Cluster: SPUBLISH / SSUBSCRIBE). */
    live: (turnId: string) => `${turn(turnId)}:live`,
    /** Hash with the turn's record: fingerprint, ref, modelId, submittedAt (and `pending` while being enqueued). */
    record: (turnId: string) => `${turn(turnId)}:state`,
    /** Flag set when a cancel was requested, so a turn not yet started is cancelled when picked up. */
    cancelFlag: (turnId: string) => `${turn(turnId)}:cancel`,
    /** Pub/sub channel every worker host listens on; a message is a cancel message (cancel/turn-cancel.ts). */
    cancelChannel: `${tag}:cancel`,
    /**
     * Sorted set of recent turn ids scored by submit time (epoch ms): the index `listTurns()` pages
     * through. Shared by all turns, so under the `{prefix}` tag; bounded by count and age.
     */
    turnIndex: `${tag}:turn-index`,
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
