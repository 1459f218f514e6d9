import type {
  ContentBlock as BedrockContentBlock,
  ConverseStreamCommandInput,
  InferenceConfiguration,
  Message,
  SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { checkGuardrailOption, type GuardrailConfig, type ResolvedModel, type TurnRequest } from '@turnpool/protocol';
import { buildToolConfig } from './build-tool-config.ts';
import { canEnableThinking } from './can-enable-thinking.ts';
import { isAnthropicModel } from './is-anthropic-model.ts';
import { defaultTurnMaxTokens, planOutputTokens } from './plan-output-tokens.ts';
import { toBedrockContent } from './to-bedrock-content.ts';

/** Options of `buildConverseRequest`. */
export interface BuildConverseRequestOptions {
  /**
   * `maxTokens` when the request sets none: `min(model.maxTokens, defaultMaxTokens)`.
   * @defaultValue defaultTurnMaxTokens (4096; why: see there)
   */
  defaultMaxTokens?: number;
  /**
   * The guardrail of turns whose request sets no `guardrailConfig` (the config's
   * `plugins.entries["amazon-bedrock"].config.guardrail`). A request's own `guardrailConfig`
   * replaces it as a whole.
   * @defaultValue none
   */
  guardrail?: GuardrailConfig;
}

/** Text put into an assistant message whose every block was dropped (Bedrock rejects empty content). */
export const emptyAssistantText = '(no content)';

/**
 * Builds the ConverseStream input for a validated turn request and its resolved model.
 *
 * - `modelId` is `model.modelId` (a model id or an inference profile id).
 * - History reasoning: signed -> replayed verbatim; unsigned -> text; redacted -> kept;
 *   all dropped for non-Anthropic models.
 * - A `toolConfig` whenever tools are given or the history has tool blocks.
 * - `maxTokens`: the request's, else `min(model.maxTokens, defaultMaxTokens)`; always above
 *   the thinking budget (raised to leave room for the answer).
 * - Thinking (`additionalModelRequestFields.thinking`) only for Anthropic reasoning models,
 *   not when `toolChoice` forces a tool, and not in a tool-use loop whose assistant message
 *   does not start with reasoning (Anthropic rejects both);
 *   `temperature` / `topP` are left out while thinking (Anthropic requires the defaults).
 * - Prompt-cache points only when `model.supportsPromptCache`: where `system` blocks ask for
 *   one, and with `promptCache: true` after the system prompt, the tools and the last
 *   message — never directly after a reasoning block.
 * - `guardrailConfig`: the request's, else `options.guardrail`, else none.
 */
export function buildConverseRequest(
  request: TurnRequest,
  model: ResolvedModel,
  options: BuildConverseRequestOptions = {},
): ConverseStreamCommandInput {
  const defaultMaxTokens = options.defaultMaxTokens ?? defaultTurnMaxTokens;
  if (!Number.isInteger(defaultMaxTokens) || defaultMaxTokens < 1) {
    throw new RangeError(`options.defaultMaxTokens must be a positive integer, got ${String(defaultMaxTokens)}`);
  }
  const guardrail = request.guardrailConfig ?? checkGuardrailOption(options.guardrail, 'options.guardrail');
  const anthropic = isAnthropicModel(model);
  const caching = model.supportsPromptCache;
  const autoCache = caching && request.promptCache === true;

  const messages: Message[] = request.messages.map((m) => {
    const mapped = m.content.map((b) => toBedrockContent(b, { anthropic })).filter((b): b is BedrockContentBlock => b !== undefined);
    const nonBlank = mapped.filter((b) => !('text' in b && typeof b.text === 'string' && b.text.trim() === ''));
    const content = nonBlank.length > 0 ? nonBlank : mapped;
    return { role: m.role, content: content.length > 0 ? content : [{ text: emptyAssistantText }] };
  });
  const last = messages.at(-1);
  if (autoCache && last?.content !== undefined) appendCachePoint(last.content);

  const input: ConverseStreamCommandInput = { modelId: model.modelId, messages };

  const system = buildSystem(request, caching, autoCache);
  if (system !== undefined) input.system = system;

  const toolConfig = buildToolConfig(request, autoCache);
  if (toolConfig !== undefined) input.toolConfig = toolConfig;

  const { maxTokens, thinkingBudget: budget } = planOutputTokens(request, model, canEnableThinking(messages), defaultMaxTokens);
  const asked = request.inferenceConfig ?? {};
  const inferenceConfig: InferenceConfiguration = { maxTokens };
  if (budget === undefined && asked.temperature !== undefined) inferenceConfig.temperature = asked.temperature;
  if (budget === undefined && asked.topP !== undefined) inferenceConfig.topP = asked.topP;
  if (asked.stopSequences !== undefined) inferenceConfig.stopSequences = [...asked.stopSequences];
  input.inferenceConfig = inferenceConfig;

  if (budget !== undefined) {
    input.additionalModelRequestFields = { thinking: { type: 'enabled', budget_tokens: budget } };
  }
  if (guardrail !== undefined) input.guardrailConfig = { ...guardrail };
  return input;
}

function buildSystem(request: TurnRequest, caching: boolean, autoCache: boolean): SystemContentBlock[] | undefined {
  if (request.system === undefined) return undefined;
  const blocks: SystemContentBlock[] = [];
  const source = typeof request.system === 'string' ? [{ text: request.system }] : request.system;
  for (const b of source) {
    blocks.push({ text: b.text });
    if (caching && 'cachePoint' in b && b.cachePoint === true) blocks.push({ cachePoint: { type: 'default' } });
  }
  if (autoCache && !('cachePoint' in (blocks.at(-1) ?? {}))) blocks.push({ cachePoint: { type: 'default' } });
  return blocks;
}

/** Appends a cache point unless the content is empty, already ends with one, or ends with reasoning. */
function appendCachePoint(content: BedrockContentBlock[]): void {
  const lastBlock = content.at(-1);
  if (lastBlock === undefined || 'reasoningContent' in lastBlock || 'cachePoint' in lastBlock) return;
  content.push({ cachePoint: { type: 'default' } });
}
