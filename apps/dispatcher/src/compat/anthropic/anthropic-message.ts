import type { ContentBlock, TurnEndEvent } from '@turnpool/protocol';
import { anthropicStopReason } from './anthropic-stop-reason.ts';
import { anthropicUsage } from './anthropic-usage.ts';

/** Identity of a message: `msg_<turnId>` and the model shown. */
export interface AnthropicMessageMeta {
  id: string;
  model: string;
}

/** A turn's content block as a Messages content block (turnpool's shape is Converse's). */
export function anthropicBlock(block: ContentBlock): Record<string, unknown> | undefined {
  if ('text' in block) return { type: 'text', text: block.text };
  if ('toolUse' in block) return { type: 'tool_use', id: block.toolUse.toolUseId, name: block.toolUse.name, input: block.toolUse.input };
  if ('reasoning' in block) {
    return 'redacted' in block.reasoning
      ? { type: 'redacted_thinking', data: block.reasoning.redacted }
      : { type: 'thinking', thinking: block.reasoning.text, signature: block.reasoning.signature ?? '' };
  }
  return undefined;
}

/** The non-streaming `message` object for a finished turn. */
export function anthropicMessage(end: TurnEndEvent, meta: AnthropicMessageMeta) {
  return {
    id: meta.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: meta.model,
    content: end.message.content.map(anthropicBlock).filter((b) => b !== undefined),
    stop_reason: anthropicStopReason(end.stopReason.unified),
    stop_sequence: null,
    usage: anthropicUsage(end.usage),
  };
}
