/** One level of the concurrency sweep, as the chart needs it. */
export interface SweepPoint {
  /** Concurrent streams. */
  streams: number;
  /** Chunks per second delivered to subscribers. */
  chunksPerSec: number;
  /** Chunks per second the load asked for (streams x per-stream rate). */
  offeredPerSec: number;
  /** Worker host CPU, percent of one core. */
  workerCpuPercent: number;
}

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A "nice" axis maximum at or above v (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}

const f = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * The concurrency sweep as a standalone SVG line chart (no dependencies): delivered and
 * offered chunks/s on the left axis, worker CPU (% of one core) on the right axis, streams on x.
 */
export function renderSweepSvg(points: readonly SweepPoint[], title: string): string {
  const W = 720;
  const H = 400;
  const m = { l: 70, r: 70, t: 40, b: 60 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const pts = [...points].filter((p) => Number.isFinite(p.streams)).sort((a, b) => a.streams - b.streams);
  const xMax = niceCeil(Math.max(1, ...pts.map((p) => p.streams)));
  const yMax = niceCeil(Math.max(1, ...pts.map((p) => Math.max(p.chunksPerSec, p.offeredPerSec))));
  const cMax = niceCeil(Math.max(100, ...pts.map((p) => p.workerCpuPercent)));
  const x = (v: number) => m.l + (v / xMax) * pw;
  const y = (v: number) => m.t + ph - (v / yMax) * ph;
  const yc = (v: number) => m.t + ph - (v / cMax) * ph;
  const path = (get: (p: SweepPoint) => number, scale: (v: number) => number) =>
    pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(x(p.streams))},${f(scale(Number.isFinite(get(p)) ? get(p) : 0))}`).join(' ');
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const gy = m.t + (ph * i) / 5;
    out.push(`<line x1="${m.l}" y1="${f(gy)}" x2="${m.l + pw}" y2="${f(gy)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.l - 6}" y="${f(gy + 4)}" text-anchor="end">${escapeXml(String(Math.round(yMax * (1 - i / 5))))}</text>`);
    out.push(
      `<text x="${m.l + pw + 6}" y="${f(gy + 4)}" text-anchor="start" fill="#c0392b">${escapeXml(String(Math.round(cMax * (1 - i / 5))))}%</text>`,
    );
    const xv = (xMax * i) / 5;
    out.push(`<text x="${f(x(xv))}" y="${m.t + ph + 18}" text-anchor="middle">${escapeXml(String(Math.round(xv)))}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.l + pw / 2}" y="${H - 22}" text-anchor="middle">concurrent streams</text>`);
  out.push(`<text transform="translate(18,${m.t + ph / 2}) rotate(-90)" text-anchor="middle">chunks/s</text>`);
  out.push(
    `<text transform="translate(${W - 14},${m.t + ph / 2}) rotate(90)" text-anchor="middle" fill="#c0392b">worker CPU (% of one core)</text>`,
  );
  if (pts.length > 0) {
    out.push(`<path d="${path((p) => p.offeredPerSec, y)}" fill="none" stroke="#999" stroke-dasharray="5,4" stroke-width="1.5"/>`);
    out.push(`<path d="${path((p) => p.chunksPerSec, y)}" fill="none" stroke="#2471a3" stroke-width="2.5"/>`);
    out.push(`<path d="${path((p) => p.workerCpuPercent, yc)}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
    for (const p of pts) {
      out.push(
        `<circle cx="${f(x(p.streams))}" cy="${f(y(Number.isFinite(p.chunksPerSec) ? p.chunksPerSec : 0))}" r="3.5" fill="#2471a3"/>`,
      );
      out.push(
        `<circle cx="${f(x(p.streams))}" cy="${f(yc(Number.isFinite(p.workerCpuPercent) ? p.workerCpuPercent : 0))}" r="3" fill="#c0392b"/>`,
      );
    }
  }
  const lx = m.l + 10;
  const ly = m.t + 14;
  out.push(
    `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="#2471a3" stroke-width="2.5"/><text x="${lx + 30}" y="${ly + 4}">delivered chunks/s</text>`,
  );
  out.push(
    `<line x1="${lx}" y1="${ly + 18}" x2="${lx + 24}" y2="${ly + 18}" stroke="#999" stroke-dasharray="5,4" stroke-width="1.5"/><text x="${lx + 30}" y="${ly + 22}">offered chunks/s</text>`,
  );
  out.push(
    `<line x1="${lx}" y1="${ly + 36}" x2="${lx + 24}" y2="${ly + 36}" stroke="#c0392b" stroke-width="2"/><text x="${lx + 30}" y="${ly + 40}">worker CPU</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
