import type { ConsoleSummary } from '@turnpool/turn-store/client';

/** Columns for uPlot: x = seconds since epoch, then one array per line. At most `maxPoints` kept. */
export interface FleetSeries {
  t: number[];
  ttftP50: (number | null)[];
  ttftP95: (number | null)[];
  tokensPerSecond: number[];
  throttles: number[];
}

/** 30 minutes of 2 s summaries. */
export const maxPoints = 900;

export const emptySeries = (): FleetSeries => ({ t: [], ttftP50: [], ttftP95: [], tokensPerSecond: [], throttles: [] });

const worst = (values: (number | null)[]): number | null => {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length ? Math.max(...xs) : null;
};

/**
 * One summary → one point: TTFT p50 / p95 of the slowest model (the figure an operator
 * watches for "is it getting worse"), fleet output tokens/s and throttles summed over models.
 */
export function appendPoint(s: FleetSeries, summary: ConsoleSummary): FleetSeries {
  const keep = <T>(xs: T[], x: T): T[] => [...xs.slice(xs.length >= maxPoints ? 1 : 0), x];
  return {
    t: keep(s.t, summary.at / 1000),
    ttftP50: keep(s.ttftP50, worst(summary.models.map((m) => m.ttftP50Ms))),
    ttftP95: keep(s.ttftP95, worst(summary.models.map((m) => m.ttftP95Ms))),
    tokensPerSecond: keep(
      s.tokensPerSecond,
      summary.models.reduce((n, m) => n + m.outputTokensPerSecond, 0),
    ),
    throttles: keep(
      s.throttles,
      summary.models.reduce((n, m) => n + m.throttles, 0),
    ),
  };
}
