import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.ts';

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least p % of the sample at or below it', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 95)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 100)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
  });
  it('is NaN for an empty sample and refuses p outside 0..100, naming p', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(/percentile p/);
    expect(() => percentile([1], Number.NaN)).toThrow(/percentile p/);
  });
});

describe('summarize', () => {
  it('sorts a copy, drops non-finite values and reports the distribution', () => {
    const values = [9, 1, Number.NaN, 5, 3, 7, Number.POSITIVE_INFINITY];
    const s = summarize(values);
    expect(s).toEqual({ n: 5, min: 1, p50: 5, p95: 9, p99: 9, max: 9, mean: 5 });
    expect(values[0]).toBe(9);
  });
  it('gives NaN fields for an empty sample', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.mean).toBeNaN();
  });
});
