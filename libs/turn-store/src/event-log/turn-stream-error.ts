/** Codes an event-log failure carries; callers branch on `code` and `retryable`, never on the message. */
export type TurnStreamErrorCode =
  /** An option or argument is malformed; `field` names it. */
  | 'invalid_option'
  /** A `Last-Event-ID` header that is not a bounded non-negative integer. */
  | 'invalid_last_event_id'
  /** An event handed to `write()` is not a JSON object with a string `type`, or cannot be serialised. */
  | 'invalid_event'
  /** An event is larger than `maxEventBytes`. */
  | 'event_too_large'
  /** `write()` after the turn's terminal event was accepted. */
  | 'turn_ended'
  /** `write()` after `close()`. */
  | 'writer_closed'
  /** Redis did not confirm a batch (connection lost, timeout, ...). The batch stays queued; retry with `flush()`. */
  | 'redis_unavailable'
  /** Another writer added events to this turn since this writer opened (a zombie attempt): this writer stops. */
  | 'seq_conflict'
  /** The stream lacks events this writer already confirmed (it expired or Redis lost data). */
  | 'seq_gap'
  /** A stream entry that is not a turn event written by this library. */
  | 'corrupt_event'
  /** `subscribeTurn({ waitTimeoutMs })`: the turn had no event at all within the wait. */
  | 'turn_not_found';

/**
 * The one error class of the turn event log. Plain data (`toJSON()`) so it crosses
 * thread and Redis boundaries as `{ code, message, retryable }`.
 */
export class TurnStreamError extends Error {
  override readonly name = 'TurnStreamError';
  readonly code: TurnStreamErrorCode;
  readonly retryable: boolean;
  /** The option, header or field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: TurnStreamErrorCode, message: string, opts: { retryable?: boolean; field?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.field = opts.field;
  }

  toJSON(): { code: TurnStreamErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}
