import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgsOrUsage, parseFlags, UsageError } from '@turnpool/cli';
import { renderFigures, spliceFigures, type ScenarioResult } from './render-figures.ts';
import { judgeReport } from './judge-report.ts';
import { scenarios } from './run-scenarios.ts';

// `npm run chaos [-- --only 1,3] [--no-write]`: runs the full-size scenarios one after another,
// prints each report as JSON, and (unless --no-write or --only) writes the figures into
// docs/reliability.md. Exit code 1 when a scenario broke, 2 on a usage error (before anything runs).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function usage(): string {
  const numbers = Object.keys(scenarios).join(',');
  return [
    `Usage: npm run chaos -- [--only ${numbers}] [--no-write]`,
    '',
    '  (no flag)    the full run (~4–5 min on 2 cores); rewrites the figures in docs/reliability.md',
    '               and tools/chaos/last-run.json',
    '  --only N,M   these scenarios only; prints the figures, writes nothing',
    '  --no-write   the full run, printing the figures instead of writing them',
    '',
    'The quick form (smaller sizes, same invariants; part of `npm test`) is the chaos test suite:',
    '  npx nx run chaos:test',
    '',
  ].join('\n');
}

function parseArgs(argv: string[]): { only: number[]; write: boolean; help: boolean } {
  const { values } = parseFlags(argv, { only: { type: 'string' }, 'no-write': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  const known = Object.keys(scenarios).map(Number);
  if (values.only === undefined) return { only: known, write: !values['no-write'], help: values.help ?? false };
  const only = values.only.split(',').map((s) => Number(s.trim()));
  if (values.only.trim() === '' || only.some((n) => !scenarios[n])) {
    throw new UsageError(`--only takes scenario numbers from ${known.join(',')}, got "${values.only.slice(0, 40)}"`);
  }
  return { only, write: false, help: values.help ?? false };
}

async function main(): Promise<number> {
  const args = parseArgsOrUsage('turnpool chaos', () => parseArgs(process.argv.slice(2)), usage);
  if (args === undefined) return 2;
  if (args.help) {
    process.stdout.write(usage());
    return 0;
  }
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const results: ScenarioResult[] = [];
  for (const n of args.only) {
    const s = scenarios[n];
    if (!s) continue;
    process.stderr.write(`[chaos] ${n}. ${s.name}…\n`);
    const t = Date.now();
    try {
      const report = (await s.run()) as Record<string, unknown>;
      const broken = judgeReport(n, report);
      results.push({
        n,
        name: s.name,
        ok: broken.length === 0,
        report,
        ms: Date.now() - t,
        ...(broken.length > 0 ? { error: `broken: ${broken.join('; ')}` } : {}),
      });
      process.stdout.write(`${JSON.stringify({ scenario: n, name: s.name, report })}\n`);
    } catch (err) {
      results.push({ n, name: s.name, ok: false, error: (err as Error).stack ?? String(err), ms: Date.now() - t });
      process.stdout.write(`${JSON.stringify({ scenario: n, name: s.name, error: (err as Error).message })}\n`);
    }
  }
  const figures = renderFigures(results, {
    startedAt,
    durationMs: Date.now() - t0,
    host: `${os.cpus().length} cores, Node ${process.versions.node}, ${os.platform()}`,
  });
  if (args.write) {
    const doc = path.join(root, 'docs/reliability.md');
    writeFileSync(doc, spliceFigures(readFileSync(doc, 'utf8'), figures));
    writeFileSync(path.join(root, 'tools/chaos/last-run.json'), `${JSON.stringify({ startedAt, results }, null, 2)}\n`);
    process.stderr.write(`[chaos] figures written to docs/reliability.md and tools/chaos/last-run.json\n`);
  } else process.stderr.write(`${figures}\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}

process.exit(await main());
