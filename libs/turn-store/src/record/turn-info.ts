import type { TurnErrorData, TurnSummary } from '@turnpool/protocol';

/** Where a turn is in its life. */
export type TurnState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What `getTurn` reports (and `GET /v1/turns/:id` answers). */
export interface TurnInfo {
  turnId: string;
  state: TurnState;
  /** Attempts started so far (0 while queued). */
  attempt: number;
  /** The model ref and the Bedrock model id that serve the turn: the fallback it moved to, if any (while its job is kept). */
  model: { ref: string; modelId: string };
  /** Epoch ms. */
  submittedAt: number;
  finishedAt: number | null;
  /** Seq of the newest event in the turn's stream (0 = none yet). */
  lastSeq: number;
  /** Present when `state` is `succeeded`. */
  result: TurnSummary | null;
  /** Present when `state` is `failed` or `cancelled`. */
  error: TurnErrorData | null;
}
