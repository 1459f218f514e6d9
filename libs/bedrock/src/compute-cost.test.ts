import { describe, expect, it } from 'vitest';
import { computeCost } from './compute-cost.ts';

const usage = { inputTokens: 1_000_000, outputTokens: 200_000, totalTokens: 1_200_000, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

describe('computeCost', () => {
  it('is null (unknown), not 0, when no price is known', () => {
    expect(computeCost(usage)).toBeNull();
  });
  it('prices input and output per million tokens', () => {
    expect(computeCost(usage, { input: 3, output: 15 })).toEqual({
      input: 3,
      output: 3,
      cacheRead: 0,
      cacheWrite: 0,
      total: 6,
      currency: 'USD',
    });
  });
  it('prices cache reads and writes', () => {
    expect(
      computeCost(
        { ...usage, cacheReadInputTokens: 500_000, cacheWriteInputTokens: 100_000 },
        { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      ),
    ).toEqual({ input: 3, output: 3, cacheRead: 0.15, cacheWrite: 0.375, total: 6.525, currency: 'USD' });
  });
  it('is null when cache tokens were used but their price is unknown', () => {
    expect(computeCost({ ...usage, cacheReadInputTokens: 1 }, { input: 3, output: 15 })).toBeNull();
    expect(computeCost({ ...usage, cacheWriteInputTokens: 1 }, { input: 3, output: 15, cacheRead: 0.3 })).toBeNull();
  });
  it('respects configured zero prices', () => {
    expect(computeCost(usage, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 })?.total).toBe(0);
  });
});
