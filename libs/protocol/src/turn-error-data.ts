import type { ErrorCode } from './error-codes.ts';

/** A turn error as a plain object: how errors cross thread, Redis and HTTP boundaries. */
export interface TurnErrorData {
  /** Stable catalogue code (see `errorCodes`). */
  code: ErrorCode;
  /** What happened and what to do, for a person. Never contains credentials. */
  message: string;
  /** Whether the same turn may succeed if tried again later. */
  retryable: boolean;
  /** The request field at fault, as a path (`messages[3].content[0].image.data`), when there is one. */
  field?: string;
}
