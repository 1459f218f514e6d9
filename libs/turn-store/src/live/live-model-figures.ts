import type { ModelWindowFigures } from './model-minutes.ts';

/** What the fleet's admission state says of one quota key (libs/quota `QuotaStatus` fits). */
export interface QuotaFigures {
  /** `<region>/<model or profile id>`. */
  quotaKey: string;
  inFlight: number;
  waiting: number;
  throttlesLastMinute: number;
}

/** One model's live figures (`GET /v1/models/live`). */
export interface LiveModelFigures {
  modelId: string;
  /** Calls admitted and not settled, fleet-wide (admission's `inFlight`, summed over regions). */
  running: number;
  /** Turns in the model's admission lines. */
  waiting: number;
  /** Throttles hosts reported in the last 60 s. */
  throttles: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Output tokens of the turns that ended in the window ÷ the window's seconds. */
  outputTokensPerSecond: number;
  /** Turns that ended in the window. */
  turns: number;
  /** The model carries an unavailable mark now. */
  unavailable: boolean;
}

/** Nearest-rank percentile of ascending samples; null without any. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/**
 * Per model: now (admission's in flight, waiting, throttles — read, not duplicated), the
 * window's ended turns, TTFT percentiles and throughput, and the unavailable mark. A model is
 * listed when any of the three sources names it; sorted by model id.
 */
export function liveModelFigures(input: {
  windowMinutes: number;
  minutes: readonly ModelWindowFigures[];
  quotas: readonly QuotaFigures[];
  unavailable: readonly string[];
}): LiveModelFigures[] {
  const models = new Map<string, LiveModelFigures>();
  const get = (modelId: string): LiveModelFigures => {
    let m = models.get(modelId);
    if (!m) {
      m = {
        modelId,
        running: 0,
        waiting: 0,
        throttles: 0,
        ttftP50Ms: null,
        ttftP95Ms: null,
        outputTokensPerSecond: 0,
        turns: 0,
        unavailable: false,
      };
      models.set(modelId, m);
    }
    return m;
  };
  for (const q of input.quotas) {
    const slash = q.quotaKey.indexOf('/');
    const m = get(slash < 0 ? q.quotaKey : q.quotaKey.slice(slash + 1));
    m.running += q.inFlight;
    m.waiting += q.waiting;
    m.throttles += q.throttlesLastMinute;
  }
  for (const f of input.minutes) {
    const m = get(f.modelId);
    m.turns = f.turns;
    m.ttftP50Ms = percentile(f.ttftMs, 50);
    m.ttftP95Ms = percentile(f.ttftMs, 95);
    m.outputTokensPerSecond = Math.round((f.outputTokens / (input.windowMinutes * 60)) * 100) / 100;
  }
  for (const id of input.unavailable) get(id).unavailable = true;
  return [...models.values()].sort((a, b) => a.modelId.localeCompare(b.modelId));
}
