/** One scenario's outcome in the full run. */
export interface ScenarioResult {
  n: number;
  name: string;
  ok: boolean;
  report?: Record<string, unknown>;
  error?: string;
  ms: number;
}

const js = (v: unknown) => JSON.stringify(v);
const fmt = (v: unknown): string => {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('p50' in o && 'max' in o)
      return `p50 ${String(o['p50'])} / p95 ${String(o['p95'])} / max ${String(o['max'])} ms (n=${String(o['n'])})`;
    return js(v).replace(/"/g, '').replace(/,/g, ', ');
  }
  return String(v);
};

/** The figures section of docs/reliability.md: one table per scenario, the raw JSON beside it. */
export function renderFigures(results: readonly ScenarioResult[], meta: { startedAt: string; durationMs: number; host: string }): string {
  const out: string[] = [
    `Last full run: ${meta.startedAt}, ${Math.round(meta.durationMs / 1000)} s on ${meta.host} (\`npm run chaos\`).`,
    '',
  ];
  for (const r of results) {
    const known = { ...(r.report?.['knownIssueCounts'] as Record<string, number> | undefined) };
    const knownText =
      Object.keys(known).length > 0
        ? ` with known issues: ${Object.entries(known)
            .map(([k, v]) => `${k} ×${v}`)
            .join(', ')}`
        : '';
    out.push(`### ${r.n}. ${r.name} — ${r.ok ? 'pass' : 'FAIL'}${knownText} (${Math.round(r.ms / 1000)} s)`, '');
    if (r.error) out.push('```', r.error.slice(0, 2000), '```', '');
    if (!r.report) continue;
    out.push('| figure | value |', '|---|---|');
    for (const [k, v] of Object.entries(r.report)) {
      if (k === 'samples' || k === 'violationSamples' || k === 'configViolationSamples') {
        if (Array.isArray(v) && v.length === 0) continue;
      }
      if (k === 'cases' && Array.isArray(v)) {
        for (const c of v as { name: string; outcome: string; refused: boolean }[])
          out.push(`| ${c.name} | ${c.refused ? 'refused' : 'NOT refused'}: ${c.outcome.replace(/\|/g, '\\|').slice(0, 220)} |`);
        continue;
      }
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'object' && x !== null)) {
        v.forEach((x, i) => out.push(`| ${k}[${i}] | ${fmt(x).replace(/\|/g, '\\|').slice(0, 900)} |`));
        continue;
      }
      out.push(`| ${k} | ${fmt(v).replace(/\|/g, '\\|').slice(0, 900)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export const figuresStart = '<!-- chaos:figures:start (written by `npm run chaos`) -->';
export const figuresEnd = '<!-- chaos:figures:end -->';

/** Replaces the text between the markers (or appends the markers and the section). */
export function spliceFigures(doc: string, figures: string): string {
  const a = doc.indexOf(figuresStart);
  const b = doc.indexOf(figuresEnd);
  if (a === -1 || b === -1 || b < a) return `${doc.trimEnd()}\n\n${figuresStart}\n${figures}\n${figuresEnd}\n`;
  return `${doc.slice(0, a + figuresStart.length)}\n${figures}\n${doc.slice(b)}`;
}
