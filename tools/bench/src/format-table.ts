/** A cell: numbers are rendered with {@link formatNumber}. */
export type Cell = string | number | boolean | null | undefined;

/** Renders a number for a table: integers as is, others with up to `digits` significant decimals; NaN as '-'. */
export function formatNumber(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '-';
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  const d = abs >= 100 ? 0 : abs >= 10 ? 1 : digits;
  return v.toFixed(d);
}

function cellText(c: Cell): string {
  if (c === null || c === undefined) return '-';
  if (typeof c === 'number') return formatNumber(c);
  return String(c);
}

/**
 * A fixed-width text table with a title line, for the terminal: columns padded to their
 * widest cell, numbers right-aligned, text left-aligned.
 */
export function formatTable(title: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((r) => headers.map((_, i) => cellText(r[i])));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [title, line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of text) out.push(line(r));
  return `${out.join('\n')}\n`;
}

/** The same table as GitHub markdown (for docs/benchmarks.md). */
export function formatMarkdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined),
  );
  const out = [`| ${headers.map(esc).join(' | ')} |`, `|${headers.map((_, i) => (numeric[i] ? '---:' : '---')).join('|')}|`];
  for (const r of rows) out.push(`| ${headers.map((_, i) => esc(cellText(r[i]))).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}
