import { describe, expect, it } from 'vitest';
import { mergeBenchReport } from './merge-bench-report.ts';
import type { BenchReport } from './render-benchmarks-doc.ts';
import type { ScenarioResult } from './scenario.ts';

const machine = { cpuModel: 'cpu', cores: 2, ramGiB: 4, node: 'v20', platform: 'linux' };
const result = (id: string, figure: number): ScenarioResult => ({
  id,
  title: id,
  setup: '',
  tables: [],
  notes: [],
  targets: [],
  data: { figure },
});
const report = (over: Partial<BenchReport>): BenchReport => ({
  date: '2026-11-24T00:00:00.000Z',
  command: 'npm run bench',
  quick: false,
  durationS: 500,
  machine,
  results: [],
  ...over,
});

describe('mergeBenchReport', () => {
  it('replaces a scenario of the same id in place, appends a new one, stamps both with the later run, and keeps the rest and the header', () => {
    const full = report({ results: [result('a', 1), result('b', 2)] });
    const partial = report({
      date: '2026-12-01T00:00:00.000Z',
      command: 'npm run bench -- --only b,c',
      durationS: 60,
      results: [result('b', 20), result('c', 30)],
    });
    const merged = mergeBenchReport(full, partial);
    const recorded = { date: '2026-12-01T00:00:00.000Z', command: 'npm run bench -- --only b,c', durationS: 60 };
    expect(merged.results).toEqual([result('a', 1), { ...result('b', 20), recorded }, { ...result('c', 30), recorded }]);
    expect({ date: merged.date, command: merged.command, durationS: merged.durationS }).toEqual({
      date: full.date,
      command: full.command,
      durationS: 500,
    });
    expect(full.results).toEqual([result('a', 1), result('b', 2)]);
  });

  it('refuses a quick run on either side and an empty partial run', () => {
    expect(() => mergeBenchReport(report({}), report({ quick: true, results: [result('a', 1)] }))).toThrow(
      'refusing to merge a --quick run',
    );
    expect(() => mergeBenchReport(report({ quick: true }), report({ results: [result('a', 1)] }))).toThrow(
      'the full report is a --quick run',
    );
    expect(() => mergeBenchReport(report({}), report({}))).toThrow('the partial report has no results');
  });
});
