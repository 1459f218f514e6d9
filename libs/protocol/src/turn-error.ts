import { errorCodes, type ErrorCode } from './error-codes.ts';
import type { TurnErrorData } from './turn-error-data.ts';

/** Options of `new TurnError(code, message?, options?)`. */
export interface TurnErrorOptions {
  /** @defaultValue the catalogue's `retryable` for the code */
  retryable?: boolean;
  /** The request field at fault (`messages[0].content[1].image.data`). */
  field?: string;
  /** Extra, non-secret detail for logs (e.g. the upstream error name). Not serialised by `toJSON`. */
  details?: Record<string, unknown>;
  /** The underlying error. Not serialised. */
  cause?: unknown;
}

/**
 * The one error class of turnpool's data path. Carries a stable `code`, a message a person
 * can act on, and `retryable`. Serialises to plain `TurnErrorData` with `toJSON()`; rebuild
 * it on the other side of a thread or Redis boundary with `turnErrorFromData`.
 */
export class TurnError extends Error {
  override readonly name = 'TurnError';
  /** Stable catalogue code. */
  readonly code: ErrorCode;
  /** Whether the same turn may succeed if tried again. */
  readonly retryable: boolean;
  /** The request field at fault, when there is one. */
  readonly field: string | undefined;
  /** Extra detail for logs; never serialised. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: TurnErrorOptions = {}) {
    super(message ?? errorCodes[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.field = options.field;
    this.details = options.details;
  }

  /** HTTP status for this error's code (from the catalogue). */
  get status(): number {
    return errorCodes[this.code].status;
  }

  /** The plain form `{code, message, retryable, field?}`. */
  toJSON(): TurnErrorData {
    const data: TurnErrorData = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.field !== undefined) data.field = this.field;
    return data;
  }
}
