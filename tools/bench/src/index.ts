// tools/bench runs as a program (`npm run bench`, src/main.ts); these pure helpers are what other tools may reuse.
export { percentile, summarize, type Summary } from './percentiles.ts';
export { formatTable, formatMarkdownTable, formatNumber, type Cell } from './format-table.ts';
export { renderSweepSvg, escapeXml, niceCeil, type SweepPoint } from './render-sweep-svg.ts';
