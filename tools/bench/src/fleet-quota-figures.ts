import { summarize, type Summary } from './percentiles.ts';

/** One turn of the fleet-quota scenario as its subscriber saw it (times are Date.now() at the subscriber, ms). */
export interface QuotaTurnRecord {
  submittedAt: number;
  /** First `turn-waiting` (the turn waited for admission). */
  waitingAt?: number;
  /** `turn-start` of the attempt that ended the turn (the last one seen). */
  startedAt?: number;
  /** The model id that `turn-start` named. */
  modelId?: string;
  /** The reason of the last `turn-fallback` (the turn moved to a fallback model). */
  fallbackReason?: string;
  endedAt?: number;
  /** `turn-end`, or the failure's code (`turn-error` code, `no_terminal` when none arrived in time). */
  outcome: 'served' | 'failed';
  errorCode?: string;
  /** Input + output tokens of `turn-end`'s usage. */
  tokens: number;
}

/** What the emulator counted for one side (deltas over the measured window). */
export interface EmulatorCallCounts {
  /** ConverseStream calls that reached the emulator (SDK retries included). */
  calls: number;
  /** Of them, refused with ThrottlingException by a quota. */
  throttled: number;
}

/**
 * The measured window. Turns submitted before it (the warm-up that empties the buckets) count
 * for goodput when they are served inside it, but not as offered, failed or waiting turns.
 */
export interface FleetQuotaWindow {
  /** Date.now() of the first measured arrival. */
  startMs: number;
  /** Length of the arrival window, ms. */
  lengthMs: number;
  /** The primary model's RPM quota (goodput is judged against it). */
  rpm: number;
  primaryModelId: string;
  /** The side's longest admission wait, ms (a failure after at least this long is a timeout, not a fault). */
  maxWaitMs: number;
}

/** One side's figures, as the table and the targets read them. */
export interface FleetQuotaFigures {
  /** Turns submitted inside the window (served, failed, waits and fallbacks count these). */
  offered: number;
  offeredPerMin: number;
  served: number;
  failed: number;
  /** Failures by code. */
  failedByCode: Record<string, number>;
  /** Failed turns that ended before maxWaitMs had passed since their submit (admission should leave none). */
  failedWithinMaxWait: number;
  /** Served turns (warm-up included) whose serving attempt started inside the window, per minute of the window (all models). */
  goodputTurnsPerMin: number;
  /** Their tokens (input + output) per minute. */
  goodputTokensPerMin: number;
  /** The same turns on the primary model only, per minute, and as a share of its RPM quota. */
  primaryTurnsPerMin: number;
  primaryOfQuota: number;
  /** Emulator: ConverseStream calls, throttled calls, and their share. */
  calls: number;
  throttled: number;
  throttledShare: number;
  /** Submit → turn-start of the serving attempt, ms (served turns). */
  submitToStart: Summary;
  /** First turn-waiting → turn-start, ms (served turns that waited). */
  waitingToStart: Summary;
  waited: number;
  /** Served turns whose turn-start named a model other than the primary. */
  servedByFallback: number;
  /** Turns that moved to a fallback, by the `turn-fallback` reason. */
  fallbackReasons: Record<string, number>;
}

/** A side's figures from its turns (warm-up included), the window and what the emulator counted in it. */
export function fleetQuotaFigures(turns: readonly QuotaTurnRecord[], w: FleetQuotaWindow, emulator: EmulatorCallCounts): FleetQuotaFigures {
  if (!(w.lengthMs > 0)) throw new RangeError(`window lengthMs must be > 0, got ${String(w.lengthMs)}`);
  if (!(w.rpm > 0)) throw new RangeError(`window rpm must be > 0, got ${String(w.rpm)}`);
  const minutes = w.lengthMs / 60_000;
  const inWindow = turns.filter(
    (t) => t.outcome === 'served' && t.startedAt !== undefined && t.startedAt >= w.startMs && t.startedAt < w.startMs + w.lengthMs,
  );
  const offered = turns.filter((t) => t.submittedAt >= w.startMs);
  const served = offered.filter((t) => t.outcome === 'served');
  const failed = offered.filter((t) => t.outcome === 'failed');
  const failedByCode = countBy(failed.map((t) => t.errorCode ?? 'unknown'));
  const onPrimary = inWindow.filter((t) => t.modelId === w.primaryModelId);
  const primaryTurnsPerMin = onPrimary.length / minutes;
  return {
    offered: offered.length,
    offeredPerMin: offered.length / minutes,
    served: served.length,
    failed: failed.length,
    failedByCode,
    failedWithinMaxWait: failed.filter((t) => (t.endedAt ?? Number.POSITIVE_INFINITY) - t.submittedAt < w.maxWaitMs).length,
    goodputTurnsPerMin: inWindow.length / minutes,
    goodputTokensPerMin: inWindow.reduce((n, t) => n + t.tokens, 0) / minutes,
    primaryTurnsPerMin,
    primaryOfQuota: primaryTurnsPerMin / w.rpm,
    calls: emulator.calls,
    throttled: emulator.throttled,
    throttledShare: emulator.calls === 0 ? 0 : emulator.throttled / emulator.calls,
    submitToStart: summarize(served.flatMap((t) => (t.startedAt === undefined ? [] : [t.startedAt - t.submittedAt]))),
    waitingToStart: summarize(
      served.flatMap((t) => (t.waitingAt !== undefined && t.startedAt !== undefined ? [t.startedAt - t.waitingAt] : [])),
    ),
    waited: offered.filter((t) => t.waitingAt !== undefined).length,
    servedByFallback: served.filter((t) => t.modelId !== undefined && t.modelId !== w.primaryModelId).length,
    fallbackReasons: countBy(offered.flatMap((t) => (t.fallbackReason === undefined ? [] : [t.fallbackReason]))),
  };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}
