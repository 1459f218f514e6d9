// turnpool benchmarks: `npm run bench` (full, rewrites docs/benchmarks.md) or `npm run bench -- --quick`.
import './quiet-sdk-warning.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgsOrUsage, parseFlags, UsageError } from '@turnpool/cli';
import { openBenchStack } from './bench-stack.ts';
import { formatTable } from './format-table.ts';
import { mergeBenchReport } from './merge-bench-report.ts';
import { readMachineInfo } from './proc-stats.ts';
import { renderBenchmarksDoc, type BenchReport } from './render-benchmarks-doc.ts';
import { renderSweepSvg, type SweepPoint } from './render-sweep-svg.ts';
import type { Scenario, ScenarioResult } from './scenario.ts';
import { scenarios } from './scenarios/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const resultsDir = path.join(root, 'tools/bench/results');

function usage(): string {
  const ids = Object.keys(scenarios);
  return [
    `Usage: npm run bench -- [--quick] [--only ${ids.join(',')}]`,
    '       npm run bench -- --render   (docs/benchmarks.md and sweep.svg again from results/latest-full.json, no run)',
    '       npm run bench -- --merge FILE   (the scenarios of an --only results file into results/latest-full.json, then --render)',
    '',
    '  --quick      a short run at smaller sizes (~4 minutes, 3 of them fleet-quota); writes only its results file',
    '  --only IDS   these scenarios (comma-separated); writes only its results file',
    '  (no flag)    the full run; rewrites docs/benchmarks.md, results/latest-full.json and results/sweep.svg',
    '',
  ].join('\n');
}

function parseArgs(argv: string[]): { quick: boolean; only?: string[]; help: boolean; render: boolean; merge?: string } {
  const { values } = parseFlags(argv, {
    quick: { type: 'boolean' },
    render: { type: 'boolean' },
    only: { type: 'string' },
    merge: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.only !== undefined && values.only.trim() === '') throw new UsageError('--only needs a comma-separated list of scenario ids');
  if (values.merge !== undefined && (values.merge.trim() === '' || values.quick || values.only !== undefined || values.render)) {
    throw new UsageError('--merge needs a results file and takes no other flag');
  }
  return {
    quick: values.quick ?? false,
    render: values.render ?? false,
    help: values.help ?? false,
    ...(values.only === undefined ? {} : { only: values.only.split(',').map((id) => id.trim()) }),
    ...(values.merge === undefined ? {} : { merge: values.merge }),
  };
}

/** docs/benchmarks.md and the sweep chart from a full run's report. */
function writeOutputs(report: BenchReport): void {
  const sweep = report.results.find((r) => r.id === 'sweep')?.data['points'] as SweepPoint[] | undefined;
  writeFileSync(
    path.join(resultsDir, 'sweep.svg'),
    renderSweepSvg(sweep ?? [], 'Concurrency sweep: one worker host, ~20 chunks/s per stream'),
  );
  writeFileSync(path.join(root, 'docs/benchmarks.md'), renderBenchmarksDoc(report, readHistory()));
}

/** The hand-written notes by scenario id (tools/bench/history/<id>.md), which a run cannot produce. */
function readHistory(): Record<string, string> {
  const dir = path.join(root, 'tools/bench/history');
  if (!existsSync(dir)) return {};
  const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
  return Object.fromEntries(files.map((f) => [f.slice(0, -'.md'.length), readFileSync(path.join(dir, f), 'utf8')]));
}

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<number> {
  const args = parseArgsOrUsage('bench', () => parseArgs(process.argv.slice(2)), usage);
  if (args === undefined) return 2;
  const ids = Object.keys(scenarios);
  if (args.help) {
    process.stdout.write(usage());
    return 0;
  }
  if (args.merge !== undefined) {
    const fullFile = path.join(resultsDir, 'latest-full.json');
    const merged = mergeBenchReport(
      JSON.parse(readFileSync(fullFile, 'utf8')) as BenchReport,
      JSON.parse(readFileSync(args.merge, 'utf8')) as BenchReport,
    );
    writeFileSync(fullFile, `${JSON.stringify(merged, null, 2)}\n`);
    writeOutputs(merged);
    log(`merged ${args.merge} into tools/bench/results/latest-full.json; rendered docs/benchmarks.md and tools/bench/results/sweep.svg`);
    return 0;
  }
  if (args.render) {
    const report = JSON.parse(readFileSync(path.join(resultsDir, 'latest-full.json'), 'utf8')) as BenchReport;
    writeOutputs(report);
    log('rendered docs/benchmarks.md and tools/bench/results/sweep.svg from tools/bench/results/latest-full.json');
    return 0;
  }
  const unknown = (args.only ?? []).filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}; one of ${ids.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const selected = (args.only ?? ids).map((id) => [id, scenarios[id] as Scenario] as const);
  const started = new Date();
  const t0 = performance.now();
  log(`${args.quick ? 'quick' : 'full'} run: ${selected.map(([id]) => id).join(', ')}`);
  const stack = await openBenchStack();
  const results: ScenarioResult[] = [];
  let failed = 0;
  // process.exit in the finally would drop a rejection of close() unseen: say it first.
  const onSignal = () => {
    void stack
      .close()
      .catch((err: unknown) => log(`closing the bench stack failed: ${String(err)}`))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const [id, run] of selected) {
      const s0 = performance.now();
      try {
        const r = await run({ stack, quick: args.quick, log });
        results.push(r);
        process.stdout.write(`\n== ${r.title}\n${r.setup}\n\n`);
        for (const t of r.tables) process.stdout.write(`${formatTable(t.title, t.headers, t.rows)}\n`);
        for (const n of r.notes) process.stdout.write(`  note: ${n}\n`);
        for (const c of r.targets)
          process.stdout.write(`  target ${c.met ? 'MET   ' : 'MISSED'} ${c.target}: ${c.measured}${c.cause ? ` (${c.cause})` : ''}\n`);
        log(`${id} done in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
      } catch (err) {
        failed++;
        log(`${id} FAILED: ${(err as Error).stack ?? String(err)}`);
      }
    }
  } finally {
    await stack.close();
  }
  const durationS = (performance.now() - t0) / 1000;
  const command = `npm run bench${args.quick || args.only ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const report: BenchReport = { date: started.toISOString(), command, quick: args.quick, durationS, machine: readMachineInfo(), results };
  mkdirSync(resultsDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const file = path.join(resultsDir, `${stamp}-${args.quick ? 'quick' : 'full'}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results: ${path.relative(root, file)} (${durationS.toFixed(0)} s)`);
  if (!args.quick && !args.only && failed === 0) {
    writeFileSync(path.join(resultsDir, 'latest-full.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeOutputs(report);
    log('rewrote docs/benchmarks.md, tools/bench/results/latest-full.json and tools/bench/results/sweep.svg');
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
