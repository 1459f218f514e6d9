import { describe, expect, it } from 'vitest';
import { checkWithinNoise } from './within-noise.ts';

describe('checkWithinNoise', () => {
  it('is within when the variant is at most the tolerance worse', () => {
    const c = checkWithinNoise([100, 100, 100], [104, 104, 105], 'higher');
    expect(c.ratio).toBeCloseTo(1.0433, 3);
    expect(c.worseBy).toBeCloseTo(0.0433, 3);
    expect(c.withinNoise).toBe(true);
  });

  it('is not within when the variant is worse by more than the tolerance and outside the spread', () => {
    const c = checkWithinNoise([100, 101, 99], [110, 112, 111], 'higher');
    expect(c.worseBy).toBeCloseTo(0.11, 5);
    expect(c.withinNoise).toBe(false);
  });

  it("is within when the variant's mean lies within the baseline rounds' min..max, even past the tolerance", () => {
    const c = checkWithinNoise([80, 120, 100], [110, 112, 108], 'higher');
    expect(c.base).toEqual({ mean: 100, min: 80, max: 120 });
    expect(c.worseBy).toBeCloseTo(0.1, 5);
    expect(c.withinNoise).toBe(true);
  });

  it('reads the direction: lower is worse for a rate, a higher rate is never a cost', () => {
    expect(checkWithinNoise([1000, 1000], [900, 900], 'lower').withinNoise).toBe(false);
    expect(checkWithinNoise([1000, 1000], [900, 900], 'lower').worseBy).toBeCloseTo(0.1, 5);
    const better = checkWithinNoise([1000, 1000], [1200, 1200], 'lower');
    expect(better.worseBy).toBe(0);
    expect(better.withinNoise).toBe(true);
    expect(checkWithinNoise([100, 100], [80, 80], 'higher').withinNoise).toBe(true);
  });

  it('honours a different tolerance', () => {
    expect(checkWithinNoise([100, 100], [108, 108], 'higher', 0.1).withinNoise).toBe(true);
    expect(checkWithinNoise([100, 100], [108, 108], 'higher', 0.05).withinNoise).toBe(false);
  });

  it('ignores non-finite rounds and is not within when a side has none', () => {
    expect(checkWithinNoise([100, Number.NaN, 100], [101], 'higher').base.mean).toBe(100);
    const none = checkWithinNoise([Number.NaN], [100], 'higher');
    expect(none.withinNoise).toBe(false);
    expect(Number.isNaN(none.ratio)).toBe(true);
  });
});
