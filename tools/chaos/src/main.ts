import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFigures, spliceFigures, type ScenarioResult } from './render-figures.ts';
import { judgeReport } from './judge-report.ts';
import { scenarios } from './run-scenarios.ts';

// `npm run chaos [-- --only 1,3] [--no-write]`: runs the full-size scenarios one after another,
// prints each report as JSON, and (unless --no-write or --only) writes the figures into
// docs/reliability.md. Exit code 1 when a scenario threw.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] ?? '' : '';
const only = onlyArg === '' ? Object.keys(scenarios).map(Number) : onlyArg.split(',').map(Number);
const write = !args.includes('--no-write') && onlyArg === '';
if (only.some((n) => !scenarios[n])) {
  process.stderr.write(`turnpool chaos: --only takes scenario numbers from ${Object.keys(scenarios).join(',')}\n`);
  process.exit(2);
}

const startedAt = new Date().toISOString();
const t0 = Date.now();
const results: ScenarioResult[] = [];
for (const n of only) {
  const s = scenarios[n];
  if (!s) continue;
  process.stderr.write(`[chaos] ${n}. ${s.name}…\n`);
  const t = Date.now();
  try {
    const report = (await s.run()) as Record<string, unknown>;
    const broken = judgeReport(n, report);
    results.push({ n, name: s.name, ok: broken.length === 0, report, ms: Date.now() - t, ...(broken.length > 0 ? { error: `broken: ${broken.join('; ')}` } : {}) });
    process.stdout.write(`${JSON.stringify({ scenario: n, name: s.name, report })}\n`);
  } catch (err) {
    results.push({ n, name: s.name, ok: false, error: (err as Error).stack ?? String(err), ms: Date.now() - t });
    process.stdout.write(`${JSON.stringify({ scenario: n, name: s.name, error: (err as Error).message })}\n`);
  }
}
const figures = renderFigures(results, { startedAt, durationMs: Date.now() - t0, host: `${os.cpus().length} cores, Node ${process.versions.node}, ${os.platform()}` });
if (write) {
  const doc = path.join(root, 'docs/reliability.md');
  writeFileSync(doc, spliceFigures(readFileSync(doc, 'utf8'), figures));
  writeFileSync(path.join(root, 'tools/chaos/last-run.json'), `${JSON.stringify({ startedAt, results }, null, 2)}\n`);
  process.stderr.write(`[chaos] figures written to docs/reliability.md and tools/chaos/last-run.json\n`);
} else process.stderr.write(`${figures}\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
