import { blockTokens } from './plan-response.ts';
import type { ResponsePlan } from './response-plan.ts';

/** One event of a planned stream: wait `delayMs`, then send `type` with `payload` (metadata is filled at send time). */
export interface StreamStep {
  type: 'messageStart' | 'contentBlockStart' | 'contentBlockDelta' | 'contentBlockStop' | 'messageStop' | 'metadata';
  payload: Record<string, unknown>;
  delayMs: number;
  /** Output tokens this event delivers; over a whole stream they add up to `usage.outputTokens` (a cut stream settles its quota with the sum sent). */
  outputTokens?: number;
}

/**
 * Bedrock's ConverseStream event order: messageStart; reasoning deltas + signature (no contentBlockStart);
 * text deltas; tool-use contentBlockStart + input fragments; a contentBlockStop per block; messageStop;
 * metadata last (with `trace` when the plan has one). Deltas carry `tokensPerChunk` tokens and are paced at `tokensPerSecond` after `ttftMs`.
 */
export function buildStreamEvents(plan: ResponsePlan): StreamStep[] {
  const { ttftMs, tokensPerSecond, tokensPerChunk } = plan.pacing;
  const steps: StreamStep[] = [{ type: 'messageStart', payload: { role: 'assistant' }, delayMs: 0 }];
  let firstDelta = true;
  const delta = (contentBlockIndex: number, d: Record<string, unknown>, tokens: number, outputTokens = tokens): void => {
    const delayMs = firstDelta ? ttftMs : tokensPerSecond > 0 ? (tokens * 1000) / tokensPerSecond : 0;
    firstDelta = false;
    steps.push({ type: 'contentBlockDelta', payload: { delta: d, contentBlockIndex }, delayMs, outputTokens });
  };
  const stop = (contentBlockIndex: number): void =>
    void steps.push({ type: 'contentBlockStop', payload: { contentBlockIndex }, delayMs: 0 });
  plan.blocks.forEach((b, index) => {
    if (b.type === 'reasoning') {
      for (const chunk of chunks(b.tokens, tokensPerChunk)) delta(index, { reasoningContent: { text: chunk.join('') } }, chunk.length);
      delta(index, { reasoningContent: { signature: b.signature } }, 0);
    } else if (b.type === 'redacted-reasoning') {
      delta(index, { reasoningContent: { redactedContent: b.data } }, 1, blockTokens(b));
    } else if (b.type === 'text') {
      for (const chunk of chunks(b.tokens, tokensPerChunk)) delta(index, { text: chunk.join('') }, chunk.length);
    } else {
      steps.push({
        type: 'contentBlockStart',
        payload: { start: { toolUse: { toolUseId: b.toolUseId, name: b.name } }, contentBlockIndex: index },
        delayMs: 0,
      });
      const chars = Array.from(b.inputJson);
      for (const piece of chunks(chars, tokensPerChunk * 4))
        delta(index, { toolUse: { input: piece.join('') } }, Math.ceil(piece.length / 4));
    }
    stop(index);
  });
  steps.push({ type: 'messageStop', payload: { stopReason: plan.stopReason }, delayMs: 0 });
  steps.push({
    type: 'metadata',
    payload: { usage: { ...plan.usage }, metrics: { latencyMs: 0 }, ...(plan.trace ? { trace: plan.trace } : {}) },
    delayMs: 0,
  });
  return steps;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}
