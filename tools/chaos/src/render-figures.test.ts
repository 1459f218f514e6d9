import { describe, expect, it } from 'vitest';
import { figuresEnd, figuresStart, renderFigures, spliceFigures } from './render-figures.ts';

describe('renderFigures / spliceFigures', () => {
  it('renders a table per scenario and replaces only the marked section', () => {
    const md = renderFigures(
      [
        {
          n: 1,
          name: 'host crashes',
          ok: true,
          ms: 2000,
          report: { accepted: 3, lost: 0, recoveryMs: { n: 2, p50: 1, p95: 2, max: 2 }, samples: [] },
        },
      ],
      { startedAt: 'T', durationMs: 2000, host: 'h' },
    );
    expect(md).toContain('### 1. host crashes — pass');
    expect(md).toContain('| lost | 0 |');
    expect(md).toContain('p50 1 / p95 2 / max 2 ms (n=2)');
    expect(md).not.toContain('samples');
    const doc = `# Title\n\ntext\n\n${figuresStart}\nold\n${figuresEnd}\n\nafter\n`;
    const next = spliceFigures(doc, 'new');
    expect(next).toBe(`# Title\n\ntext\n\n${figuresStart}\nnew\n${figuresEnd}\n\nafter\n`);
    expect(spliceFigures('# T\n', 'x')).toBe(`# T\n\n${figuresStart}\nx\n${figuresEnd}\n`);
  });
});
