import type { BenchReport } from './render-benchmarks-doc.ts';

/**
 * A full run's report with the scenarios of a later `--only` run put in: each replaces the
 * result of the same id (or is appended) and is stamped with when and how it was recorded,
 * so docs/benchmarks.md can say so. The other scenarios' figures stay as they were.
 */
export function mergeBenchReport(full: BenchReport, partial: BenchReport): BenchReport {
  if (full.quick) throw new Error('mergeBenchReport: the full report is a --quick run');
  if (partial.quick) throw new Error('mergeBenchReport: refusing to merge a --quick run into the full results');
  if (partial.results.length === 0) throw new Error('mergeBenchReport: the partial report has no results');
  const results = [...full.results];
  for (const r of partial.results) {
    const stamped = { ...r, recorded: { date: partial.date, command: partial.command, durationS: partial.durationS } };
    const i = results.findIndex((x) => x.id === r.id);
    if (i === -1) results.push(stamped);
    else results[i] = stamped;
  }
  return { ...full, results };
}
