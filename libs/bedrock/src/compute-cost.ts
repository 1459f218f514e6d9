import type { ModelPrices, TurnCost, TurnUsage } from '@turnpool/protocol';

const perToken = 1 / 1_000_000;

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

/**
 * Cost of one attempt in USD from prices per million tokens. Returns `null` ("unknown")
 * when no prices are configured, or when tokens of a kind were used whose price is not
 * configured (e.g. cache reads without a `cacheRead` price) — never a made-up 0.
 */
export function computeCost(usage: TurnUsage, prices?: ModelPrices): TurnCost | null {
  if (prices === undefined) return null;
  if (usage.cacheReadInputTokens > 0 && prices.cacheRead === undefined) return null;
  if (usage.cacheWriteInputTokens > 0 && prices.cacheWrite === undefined) return null;
  const input = round(usage.inputTokens * prices.input * perToken);
  const output = round(usage.outputTokens * prices.output * perToken);
  const cacheRead = round(usage.cacheReadInputTokens * (prices.cacheRead ?? 0) * perToken);
  const cacheWrite = round(usage.cacheWriteInputTokens * (prices.cacheWrite ?? 0) * perToken);
  return { input, output, cacheRead, cacheWrite, total: round(input + output + cacheRead + cacheWrite), currency: 'USD' };
}
