import { describe, expect, it } from 'vitest';
import { imdsProbeBackoffMs } from './imds-probe-backoff.ts';

describe('imdsProbeBackoffMs', () => {
  it('waits 5 s after the first failure, doubles per failure, and is capped at 5 min', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100, 10_000].map(imdsProbeBackoffMs)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('no failure yet means no wait', () => {
    expect(imdsProbeBackoffMs(0)).toBe(0);
    expect(imdsProbeBackoffMs(-1)).toBe(0);
    expect(imdsProbeBackoffMs(Number.NaN)).toBe(0);
  });
});
