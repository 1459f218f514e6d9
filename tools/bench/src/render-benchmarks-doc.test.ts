import { describe, expect, it } from 'vitest';
import { renderBenchmarksDoc, type BenchReport } from './render-benchmarks-doc.ts';
import type { ScenarioResult } from './scenario.ts';

const result = (id: string): ScenarioResult => ({
  id,
  title: `scenario ${id}`,
  setup: `setup of ${id}`,
  tables: [],
  notes: [`note of ${id}`],
  targets: [],
  data: {},
});
const report: BenchReport = {
  date: '2026-12-02T00:00:00.000Z',
  command: 'npm run bench',
  quick: false,
  durationS: 600,
  machine: { cpuModel: 'cpu', cores: 2, ramGiB: 4, node: 'v20', platform: 'linux' },
  results: [result('a'), result('b')],
};

describe('renderBenchmarksDoc', () => {
  it("renders a scenario's hand-written history under that scenario, after its notes, and nothing for a scenario without one", () => {
    const doc = renderBenchmarksDoc(report, { b: 'Earlier: 3 runs, 1.2x.\n', gone: 'a scenario no run has' });
    const a = doc.indexOf('## scenario a');
    const b = doc.indexOf('## scenario b');
    const kept = doc.indexOf('Earlier: 3 runs, 1.2x.');
    expect(kept).toBeGreaterThan(doc.indexOf('- note of b'));
    expect(kept).toBeGreaterThan(b);
    expect(doc.slice(a, b)).not.toContain('Earlier measurements');
    expect(doc).toContain('tools/bench/history/b.md');
    expect(doc).not.toContain('a scenario no run has');
  });
});
