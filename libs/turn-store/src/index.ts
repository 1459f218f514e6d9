// @turnpool/turn-store: everything addressed by a turn id. This entry holds what both sides
// share — keys, the event log, the outcome encoding, cancellation; `./client` is what a
// gateway embeds (the dispatcher), `./runner` the Redis side of one attempt (a worker thread).
// No entry loads the Bedrock runtime SDK (eslint.config.mjs enforces it for libs/turn-store).
export { turnKeys, type TurnKeys } from './turn-keys.ts';

export type { TurnStreamEvent, TurnEventInput, TerminalPredicate, EnvelopeField } from './event-log/turn-stream-event.ts';
export { TurnStreamError, type TurnStreamErrorCode } from './event-log/turn-stream-error.ts';
export { isTerminalEvent } from './event-log/is-terminal-event.ts';
export { createTurnWriter, type TurnWriter, type TurnWriterOptions } from './event-log/create-turn-writer.ts';
export { appendTurnEvent, ensureTerminalEvent } from './event-log/append-turn-event.ts';
export { subscribeTurn, type SubscribeTurnOptions } from './event-log/subscribe-turn.ts';
export { readTurnEvents, type ReadTurnEventsOptions } from './event-log/read-turn-events.ts';
export { lastTurnEvent } from './event-log/read-last-turn-event.ts';
export { encodeSse } from './event-log/encode-sse.ts';
export { parseLastEventId } from './event-log/parse-last-event-id.ts';
export { readSse, type SseFrame } from './event-log/read-sse.ts';

export { cancelledError, outcomeOfEvent, type TurnOutcome } from './outcome/turn-outcome.ts';
export { encodeJobFailure, decodeJobFailure } from './outcome/job-failure.ts';

export {
  cancelMessage,
  parseCancelMessage,
  cancelledBy,
  requestCancel,
  readCancelRequest,
  receiveCancels,
  type CancelMessage,
  type CancelReason,
} from './cancel/turn-cancel.ts';

export {
  startHostHeartbeat,
  listHosts,
  type HostHeartbeat,
  type HostHeartbeatOptions,
  type HostHeartbeatHandle,
} from './fleet/host-heartbeat.ts';
export { indexTurn, listTurns, type TurnListItem, type TurnListQuery, type TurnPage } from './record/turn-index.ts';
export { recordTurnEnd } from './record/turn-progress.ts';
export { readModelMinutes, recordModelMinute, type ModelWindowFigures } from './live/model-minutes.ts';
