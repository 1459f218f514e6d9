import type { TurnErrorData, TurnJobData, TurnSummary } from '@turnpool/protocol';

/** What the worker host's main thread hands a thread (or the inline runner) for one attempt. */
export interface TurnTask {
  jobId: string;
  data: TurnJobData;
  /** 1-based attempt number as BullMQ counts it (stalled restarts excluded). */
  bullAttempt: number;
  /** True when BullMQ will not retry this job after a failure. */
  isFinalAttempt: boolean;
  /** Name of the BroadcastChannel that carries cancel messages for this host. */
  cancelChannel: string;
  /** Identifies the host and thread in `turn-start`. */
  workerId: string;
}

/** How an attempt ended, as plain data (crosses the thread boundary). */
export type TurnTaskResult =
  | { status: 'succeeded'; summary: TurnSummary }
  | { status: 'cancelled'; by: string }
  | {
      status: 'failed';
      error: TurnErrorData;
      /** A terminal `turn-error` was published: BullMQ must not retry. */
      terminal: boolean;
    };
