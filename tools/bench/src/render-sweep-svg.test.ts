import { describe, expect, it } from 'vitest';
import { escapeXml, niceCeil, renderSweepSvg } from './render-sweep-svg.ts';

describe('renderSweepSvg', () => {
  const points = [
    { streams: 1000, chunksPerSec: 15000, offeredPerSec: 19000, workerCpuPercent: 120 },
    { streams: 10, chunksPerSec: 190, offeredPerSec: 190, workerCpuPercent: 5 },
  ];
  it('draws one path per series with the points in streams order, and escapes the title', () => {
    const svg = renderSweepSvg(points, 'a <b> & "c"');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<b>');
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1] as string);
    expect(paths).toHaveLength(3);
    for (const d of paths) {
      const xs = [...d.matchAll(/[ML]([\d.]+),/g)].map((m) => Number(m[1]));
      expect(xs).toHaveLength(2);
      expect(xs[0]).toBeLessThan(xs[1] as number);
    }
  });
  it('renders an empty sweep without paths and NaN-free', () => {
    const svg = renderSweepSvg([], 'empty');
    expect(svg).not.toContain('<path');
    expect(svg).not.toContain('NaN');
    expect(
      renderSweepSvg([{ streams: 10, chunksPerSec: Number.NaN, offeredPerSec: 200, workerCpuPercent: Number.NaN }], 'x'),
    ).not.toContain('NaN');
  });
});

describe('niceCeil / escapeXml', () => {
  it('rounds axis maxima up to a round step (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8) times a power of ten', () => {
    expect(niceCeil(1800)).toBe(2000);
    expect(niceCeil(1250)).toBe(1500);
    expect(niceCeil(7000)).toBe(8000);
    expect(niceCeil(2100)).toBe(2500);
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(Number.NaN)).toBe(1);
  });
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });
});
