import { generateWords, tokenizeText } from './generate-words.ts';
import { parseDirectives } from './parse-directives.ts';
import { planGuardrail } from './plan-guardrail.ts';
import { estimateInputTokens, lastUserMessage, lastUserText } from './request-text.ts';
import type { ConverseRequestJson, PlannedBlock, ResponsePlan } from './response-plan.ts';
import { synthesizeToolInput } from './synthesize-tool-input.ts';
import { base62Of, base64Of, seedOf, seededRandom } from './seeded-random.ts';

export interface PlanOptions {
  /** Pacing defaults before directives. @defaultValue 50 / 500 / 3 (the emulator passes its own options) */
  ttftMs?: number;
  tokensPerSecond?: number;
  tokensPerChunk?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The deterministic answer for `request` to `modelId`: the same inputs always give the same blocks,
 * stop reason and usage (latency is the only thing measured at run time). Content is seeded from
 * sha256(modelId + last user message); directives in the last user message's text override it.
 * A `guardrailConfig` adds a guardrail (see `planGuardrail`).
 * Throws DirectiveError for a known directive with bad arguments.
 */
export function planResponse(modelId: string, request: ConverseRequestJson, opts: PlanOptions = {}): ResponsePlan {
  const text = lastUserText(request);
  const d = parseDirectives(text);
  const seedText = JSON.stringify(lastUserMessage(request)?.['content'] ?? null);
  const random = seededRandom(seedOf(modelId, seedText));
  const blocks: PlannedBlock[] = [];

  const thinking =
    isObj(request.additionalModelRequestFields) &&
    isObj(request.additionalModelRequestFields['thinking']) &&
    request.additionalModelRequestFields['thinking']['type'] === 'enabled';
  if (d.reasoningTokens !== undefined || thinking) {
    const tokens = generateWords(random, d.reasoningTokens ?? 12);
    const rtext = tokens.join('');
    blocks.push({ type: 'reasoning', tokens, text: rtext, signature: base64Of(96, 'signature', modelId, rtext) });
  }
  if (d.redactedReasoning) blocks.push({ type: 'redacted-reasoning', data: base64Of(48, 'redacted', modelId, seedText) });

  const tools = d.tools.length > 0 ? d.tools : synthesizeToolInput(request.toolConfig);
  const textTokens =
    d.say !== undefined
      ? tokenizeText(d.say)
      : generateWords(random, d.tokens ?? (tools.length > 0 ? 4 + Math.floor(random() * 8) : 20 + Math.floor(random() * 40)));
  if (textTokens.length > 0) blocks.push({ type: 'text', tokens: textTokens, text: textTokens.join('') });
  tools.forEach((t, i) =>
    blocks.push({
      type: 'tool-use',
      toolUseId: `tooluse_${base62Of(22, modelId, seedText, String(i), t.name)}`,
      name: t.name,
      input: t.input,
      inputJson: JSON.stringify(t.input),
    }),
  );

  let stopReason = tools.length > 0 ? 'tool_use' : 'end_turn';
  const cfg = isObj(request.inferenceConfig) ? request.inferenceConfig : {};
  const cut = applyStopSequences(blocks, cfg['stopSequences']) ?? applyMaxTokens(blocks, cfg['maxTokens']);
  if (cut !== undefined) stopReason = cut;
  const guardrail = planGuardrail(request.guardrailConfig, d.guardrail, blocks, text.length);
  if (guardrail.intervened) stopReason = 'guardrail_intervened';
  if (d.stop !== undefined) stopReason = d.stop;

  const inputTokens = estimateInputTokens(request);
  const outputTokens = guardrail.blocks.reduce((n, b) => n + blockTokens(b), 0);
  return {
    blocks: guardrail.blocks,
    stopReason,
    ...(guardrail.trace === undefined ? {} : { trace: { guardrail: guardrail.trace } }),
    usage: {
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      cacheReadInputTokens: d.cacheRead ?? 0,
      cacheWriteInputTokens: d.cacheWrite ?? 0,
    },
    pacing: {
      ttftMs: d.ttftMs ?? opts.ttftMs ?? 50,
      tokensPerSecond: d.tokensPerSecond ?? opts.tokensPerSecond ?? 500,
      tokensPerChunk: d.tokensPerChunk ?? opts.tokensPerChunk ?? 3,
    },
    directives: d,
  };
}

/** Tokens a block costs: words for text/reasoning, 1 per 4 JSON characters for tool input, 10 for redacted. */
export function blockTokens(b: PlannedBlock): number {
  if (b.type === 'text' || b.type === 'reasoning') return b.tokens.length;
  if (b.type === 'tool-use') return Math.max(1, Math.ceil(b.inputJson.length / 4));
  return 10;
}

function applyStopSequences(blocks: PlannedBlock[], seqs: unknown): string | undefined {
  if (!Array.isArray(seqs)) return undefined;
  const list = seqs.filter((s): s is string => typeof s === 'string' && s.length > 0);
  const idx = blocks.findIndex((b) => b.type === 'text' && list.some((s) => b.text.includes(s)));
  const block = blocks[idx];
  if (block?.type !== 'text') return undefined;
  const at = Math.min(...list.map((s) => block.text.indexOf(s)).filter((n) => n >= 0));
  const kept = block.text.slice(0, at);
  block.tokens = tokenizeText(kept);
  block.text = kept;
  blocks.splice(block.tokens.length === 0 ? idx : idx + 1);
  return 'stop_sequence';
}

function applyMaxTokens(blocks: PlannedBlock[], maxTokens: unknown): string | undefined {
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return undefined;
  let left = maxTokens;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as PlannedBlock;
    const cost = blockTokens(b);
    if (cost <= left) {
      left -= cost;
      continue;
    }
    if ((b.type === 'text' || b.type === 'reasoning') && left > 0) {
      b.tokens = b.tokens.slice(0, left);
      b.text = b.tokens.join('');
      blocks.splice(i + 1);
    } else blocks.splice(i);
    return 'max_tokens';
  }
  return undefined;
}
