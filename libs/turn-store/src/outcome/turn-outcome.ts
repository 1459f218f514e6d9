import type { TurnErrorData, TurnEvent, TurnSummary } from '@turnpool/protocol';

/** How an attempt (or the whole turn) ended, as plain data: it crosses the thread boundary. */
export type TurnOutcome =
  | { status: 'succeeded'; summary: TurnSummary }
  | { status: 'cancelled'; by: string }
  | {
      status: 'failed';
      error: TurnErrorData;
      /** A terminal `turn-error` was published: BullMQ must not retry. */
      terminal: boolean;
    };

/** The error a cancelled turn reports (getTurn, and the failed job's reason). */
export function cancelledError(by: string): TurnErrorData {
  return { code: 'cancelled', message: `cancelled by ${by}`, retryable: false };
}

/**
 * The outcome a terminal event records (`undefined` for any other event): getTurn reports it,
 * and a runner that finds its turn already ended returns it instead of running the turn again.
 */
export function outcomeOfEvent(event: TurnEvent): TurnOutcome | undefined {
  if (event.type === 'turn-end') {
    const { type: _type, turnId: _turnId, attempt: _attempt, seq: _seq, ts: _ts, ...summary } = event;
    return { status: 'succeeded', summary };
  }
  if (event.type === 'turn-cancelled') return { status: 'cancelled', by: event.by };
  if (event.type === 'turn-error')
    return { status: 'failed', error: { code: event.code, message: event.message, retryable: event.retryable }, terminal: true };
  return undefined;
}
