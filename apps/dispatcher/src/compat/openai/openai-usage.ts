import type { TurnUsage } from '@turnpool/protocol';

/** Chat Completions' `usage`: prompt tokens include the cached ones, as OpenAI counts them. */
export function openAiUsage(u: TurnUsage) {
  const prompt = u.inputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.outputTokens,
    total_tokens: prompt + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cacheReadInputTokens },
  };
}
