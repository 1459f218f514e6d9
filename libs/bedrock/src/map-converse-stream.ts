import type { ConverseStreamOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { GuardrailTrace, ModelPrices, TurnEventBody, TurnUsage } from '@turnpool/protocol';
import { TurnError } from '@turnpool/protocol';
import { bytesToBase64 } from './bytes.ts';
import { classifyBedrockError, type ClassifyContext } from './classify-bedrock-error.ts';
import { computeCost } from './compute-cost.ts';
import { mapStopReason } from './map-stop-reason.ts';
import { assembleContent, newStreamBlock, type StreamBlock } from './stream-block.ts';
import { toGuardrailTrace } from './to-guardrail-trace.ts';

/** The event bodies `mapConverseStream` yields (the publisher stamps turnId, attempt, seq, ts). */
export type MappedEventBody = Extract<
  TurnEventBody,
  {
    type: 'text-delta' | 'reasoning-delta' | 'tool-call-start' | 'tool-input-delta' | 'block-end' | 'turn-end';
  }
>;

/** Context of `mapConverseStream`. */
export interface MapStreamContext extends ClassifyContext {
  /** When the request was sent (ms, same clock as `now`). Take it before `send()`, which only resolves at the first event. @defaultValue `now()` when iteration starts */
  startedAt?: number;
  /** Clock. @defaultValue `Date.now` */
  now?: () => number;
  /** Model prices for the cost; absent = cost `null`. */
  prices?: ModelPrices;
  /** Called for every event the stream delivers, before it is mapped (a watchdog's heartbeat). */
  onEvent?: () => void;
}

const exceptionNames: Record<string, string> = {
  internalServerException: 'InternalServerException',
  modelStreamErrorException: 'ModelStreamErrorException',
  validationException: 'ValidationException',
  throttlingException: 'ThrottlingException',
  serviceUnavailableException: 'ServiceUnavailableException',
};
const exceptionMembers = Object.keys(exceptionNames);

/**
 * Maps a ConverseStream event stream to turn-event bodies: `text-delta`, `reasoning-delta`,
 * `tool-call-start`, `tool-input-delta`, `block-end`, and last a `turn-end` body with the
 * stop reason, the assembled assistant message, usage, cost, timings and, when the metadata
 * carries one, the guardrail trace (`guardrailTrace`; a guardrail stop is `content-filter`).
 *
 * Lenient on what Bedrock sends: blocks with or without `contentBlockStart`, the `p` padding
 * field, unknown events and delta kinds (ignored), blocks left open (closed at `messageStop`).
 * Failures throw a `TurnError` (via `classifyBedrockError`): an error thrown by the stream,
 * an in-stream exception member, or a stream that ends before `messageStop`
 * (`upstream_unavailable`).
 */
export async function* mapConverseStream(
  stream: AsyncIterable<ConverseStreamOutput>,
  ctx: MapStreamContext = {},
): AsyncGenerator<MappedEventBody, void, undefined> {
  const now = ctx.now ?? Date.now;
  const startedAt = ctx.startedAt ?? now();
  const blocks = new Map<number, StreamBlock>();
  let firstContentAt: number | undefined;
  let stopReason: string | undefined;
  let usage: TokenUsage | undefined;
  let guardrailTrace: GuardrailTrace | undefined;

  const block = (index: number, kind: StreamBlock['kind']): StreamBlock => {
    let b = blocks.get(index);
    if (b === undefined) {
      b = newStreamBlock(kind);
      blocks.set(index, b);
    }
    if (b.kind === 'other' && kind !== 'other') b.kind = kind;
    return b;
  };
  const markContent = () => {
    firstContentAt ??= now();
  };

  try {
    for await (const event of stream) {
      ctx.onEvent?.();
      const members = event as unknown as Record<string, unknown>;
      const exception = exceptionMembers.find((k) => members[k] !== undefined);
      if (exception !== undefined) {
        const payload = members[exception] as { message?: unknown } | undefined;
        throw classifyBedrockError(
          payload instanceof Error ? payload : { name: exceptionNames[exception], message: payload?.message },
          ctx,
        );
      }
      if (event.contentBlockStart !== undefined) {
        const index = event.contentBlockStart.contentBlockIndex ?? 0;
        const toolUse = event.contentBlockStart.start?.toolUse;
        if (toolUse !== undefined) {
          const b = block(index, 'toolUse');
          b.toolUseId = toolUse.toolUseId ?? `tooluse_unknown_${index}`;
          b.name = toolUse.name ?? '';
          markContent();
          yield { type: 'tool-call-start', index, toolUseId: b.toolUseId, name: b.name };
        } else block(index, 'other');
      } else if (event.contentBlockDelta !== undefined) {
        const index = event.contentBlockDelta.contentBlockIndex ?? 0;
        const delta = event.contentBlockDelta.delta;
        if (delta?.text !== undefined) {
          const b = block(index, 'text');
          b.text += delta.text;
          markContent();
          if (delta.text !== '') yield { type: 'text-delta', index, text: delta.text };
        } else if (delta?.reasoningContent !== undefined) {
          const r = delta.reasoningContent;
          const b = block(index, 'reasoning');
          markContent();
          if (r.text !== undefined) {
            b.text += r.text;
            if (r.text !== '') yield { type: 'reasoning-delta', index, text: r.text };
          } else if (r.signature !== undefined) {
            b.signature = (b.signature ?? '') + r.signature;
            yield { type: 'reasoning-delta', index, signature: r.signature };
          } else if (r.redactedContent !== undefined) {
            b.redacted.push(r.redactedContent);
            yield { type: 'reasoning-delta', index, redacted: bytesToBase64(r.redactedContent) };
          }
        } else if (delta?.toolUse !== undefined) {
          let b = blocks.get(index);
          if (b === undefined || b.kind !== 'toolUse') {
            b = block(index, 'toolUse');
            b.toolUseId ||= `tooluse_unknown_${index}`;
          }
          const json = delta.toolUse.input ?? '';
          b.json += json;
          markContent();
          if (json !== '') yield { type: 'tool-input-delta', index, json };
        }
      } else if (event.contentBlockStop !== undefined) {
        const index = event.contentBlockStop.contentBlockIndex ?? 0;
        const b = blocks.get(index);
        if (b !== undefined && b.open) {
          b.open = false;
          if (b.kind !== 'other') yield { type: 'block-end', index };
        }
      } else if (event.messageStop !== undefined) {
        stopReason = event.messageStop.stopReason ?? '';
        for (const [index, b] of [...blocks.entries()].sort(([a], [c]) => a - c)) {
          if (!b.open) continue;
          b.open = false;
          if (b.kind !== 'other') yield { type: 'block-end', index };
        }
      } else if (event.metadata !== undefined) {
        usage = event.metadata.usage ?? usage;
        guardrailTrace = toGuardrailTrace(event.metadata.trace?.guardrail) ?? guardrailTrace;
      }
    }
  } catch (err) {
    throw classifyBedrockError(err, ctx);
  }

  if (stopReason === undefined) {
    throw new TurnError('upstream_unavailable', `The Bedrock stream${ctx.modelId ? ` for ${ctx.modelId}` : ''} ended before messageStop.`);
  }
  const end = now();
  const turnUsage = toTurnUsage(usage);
  yield {
    type: 'turn-end',
    stopReason: mapStopReason(stopReason),
    message: { role: 'assistant', content: assembleContent(blocks) },
    usage: turnUsage,
    cost: computeCost(turnUsage, ctx.prices),
    timings: { ttftMs: firstContentAt === undefined ? null : firstContentAt - startedAt, totalMs: end - startedAt },
    ...(guardrailTrace === undefined ? {} : { guardrailTrace }),
  };
}

function toTurnUsage(usage: TokenUsage | undefined): TurnUsage {
  const inputTokens = usage?.inputTokens ?? 0;
  const outputTokens = usage?.outputTokens ?? 0;
  const cacheReadInputTokens = usage?.cacheReadInputTokens ?? 0;
  const cacheWriteInputTokens = usage?.cacheWriteInputTokens ?? 0;
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage?.totalTokens ?? inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens,
    cacheReadInputTokens,
    cacheWriteInputTokens,
  };
}
