import { UnrecoverableError } from 'bullmq';
import { turnErrorFromData, type TurnErrorData } from '@turnpool/protocol';

/**
 * The one encoding of a turn's failure that crosses BullMQ: the worker throws the error this
 * returns from its processor, BullMQ stores its message as the job's `failedReason`, and
 * {@link decodeJobFailure} reads it back (getTurn, the host that ends a failed turn). The message
 * is the error's plain form as JSON. `final` = BullMQ must not retry (`UnrecoverableError`).
 */
export function encodeJobFailure(error: TurnErrorData, final: boolean): Error {
  const reason = JSON.stringify({
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.field === undefined ? {} : { field: error.field }),
  });
  return final ? new UnrecoverableError(reason) : new Error(reason);
}

/**
 * The error a failed job's `failedReason` stands for: ours (from {@link encodeJobFailure}) is
 * JSON `TurnErrorData`; BullMQ's own reasons (e.g. "job stalled more than allowable limit") are
 * text and read as `worker_lost`. Never throws.
 */
export function decodeJobFailure(reason: string | undefined): TurnErrorData {
  if (reason) {
    try {
      const data = JSON.parse(reason) as unknown;
      if (typeof data === 'object' && data !== null && typeof (data as { code?: unknown }).code === 'string')
        return turnErrorFromData(data).toJSON();
    } catch {
      // BullMQ's own text
    }
  }
  return {
    code: 'worker_lost',
    message: `The turn failed outside a worker thread: ${(reason ?? 'unknown reason').slice(0, 200)}`,
    retryable: true,
  };
}
