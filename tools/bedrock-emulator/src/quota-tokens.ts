import type { PlannedUsage } from './response-plan.ts';

type InputUsage = Pick<PlannedUsage, 'inputTokens' | 'cacheReadInputTokens' | 'cacheWriteInputTokens'>;

/** What Bedrock reserves against TPM at the start of a call: input + cache read + cache write + maxTokens. */
export function reservedTokens(usage: InputUsage, maxTokens: number): number {
  return usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens + maxTokens;
}

/**
 * What a call counts against TPM once it ends: input + cache write + output × burndown (cache reads are
 * released, which is why prompt caching raises usable TPM). Rounded up to whole tokens.
 */
export function settledTokens(usage: InputUsage, outputTokens: number, burndown: number): number {
  return usage.inputTokens + usage.cacheWriteInputTokens + Math.ceil(outputTokens * burndown);
}
