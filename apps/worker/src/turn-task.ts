import type { TurnJobData } from '@turnpool/protocol';

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
  /**
   * Admission owns throttles: a `rate_limited` failure before any output is handed back (not
   * published as terminal) so the host can put the turn back to wait. @defaultValue false
   */
  throttleWaits?: boolean;
  /** The turn has a fallback model left: a throttle or an unavailable model before any output is handed back. @defaultValue false */
  hasFallback?: boolean;
}
