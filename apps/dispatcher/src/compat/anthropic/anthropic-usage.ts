import type { TurnUsage } from '@turnpool/protocol';

/** Messages' `usage` (input tokens exclude the cached ones, as Anthropic counts them). */
export function anthropicUsage(u: TurnUsage) {
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheWriteInputTokens,
    cache_read_input_tokens: u.cacheReadInputTokens,
  };
}
