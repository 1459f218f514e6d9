import type { ResolvedModel, TurnRequest } from '@turnpool/protocol';
import { isAnthropicModel } from './is-anthropic-model.ts';
import { thinkingBudget } from './thinking-budget.ts';

/**
 * `maxTokens` of a call whose request sets none (capped by the model's own ceiling). Bedrock
 * reserves `maxTokens` against the tokens-per-minute quota up front, so a large default burns
 * quota; 4096 answers most turns.
 */
export const defaultTurnMaxTokens = 4096;

/** What a call will ask Bedrock to generate. */
export interface OutputTokenPlan {
  /** `inferenceConfig.maxTokens`: also what Bedrock reserves against the tokens-per-minute quota. */
  maxTokens: number;
  /** The thinking budget sent, when thinking is on. */
  thinkingBudget: number | undefined;
}

/**
 * `maxTokens` and the thinking budget of a call: the request's `maxTokens`, else
 * `min(model.maxTokens, defaultMaxTokens)`; thinking only for Anthropic reasoning models that
 * asked for it, not when `toolChoice` forces a tool, and not when `canThink` is false (a tool
 * loop Anthropic would refuse); `maxTokens` is raised above the budget to leave room for the
 * answer. Pure and cheap: admission calls it before the request is built (with `canThink: true`,
 * which can only reserve more, never less, than the call sends).
 */
export function planOutputTokens(
  request: TurnRequest,
  model: ResolvedModel,
  canThink: boolean,
  defaultMaxTokens = defaultTurnMaxTokens,
): OutputTokenPlan {
  const forcesTool = request.toolChoice !== undefined && request.toolChoice !== 'auto' && (request.tools?.length ?? 0) > 0;
  const budget =
    request.reasoning !== undefined && model.reasoning && isAnthropicModel(model) && !forcesTool && canThink
      ? thinkingBudget(request.reasoning)
      : undefined;
  let maxTokens = request.inferenceConfig?.maxTokens ?? Math.min(model.maxTokens, defaultMaxTokens);
  if (budget !== undefined && maxTokens <= budget) {
    maxTokens = budget + Math.min(defaultMaxTokens, Math.max(1, model.maxTokens - budget));
  }
  return { maxTokens, thinkingBudget: budget };
}
