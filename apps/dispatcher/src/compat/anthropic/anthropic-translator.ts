import { TurnError, turnErrorFromData, type TurnEvent } from '@turnpool/protocol';
import type { CompatTranslator, TranslatedFrames } from '../compat-translator.ts';
import { sseFrame } from '../sse-frame.ts';
import { anthropicErrorBody } from './anthropic-error.ts';
import type { AnthropicMessageMeta } from './anthropic-message.ts';
import { anthropicStopReason } from './anthropic-stop-reason.ts';
import { anthropicUsage } from './anthropic-usage.ts';

type BlockKind = 'text' | 'thinking' | 'redacted_thinking' | 'tool_use';

/**
 * Turn events → Messages stream events: `message_start` before the first block, then per
 * block `content_block_start`, `text_delta` / `thinking_delta` / `signature_delta` /
 * `input_json_delta`, `content_block_stop`; at the end `message_delta` (stop reason, usage)
 * and `message_stop`. Block indexes count from 0 in order of appearance. A failure after
 * output is an `error` event, which the Anthropic client raises.
 */
export function createAnthropicTranslator(meta: AnthropicMessageMeta): CompatTranslator {
  let model = meta.model;
  let started = false;
  /** turnpool block index → [Anthropic index, kind, open]. */
  let blocks = new Map<number, { index: number; kind: BlockKind; open: boolean; toolUseId?: string; name?: string }>();
  const frame = (seq: number, data: { type: string } & Record<string, unknown>) => sseFrame(seq, data, data.type);
  const messageStart = (seq: number) =>
    frame(seq, {
      type: 'message_start',
      message: {
        id: meta.id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  const blockStart = (seq: number, index: number, kind: BlockKind, extra: Record<string, unknown> = {}) => {
    const empty =
      kind === 'text' ? { text: '' } : kind === 'thinking' ? { thinking: '', signature: '' } : kind === 'tool_use' ? { input: {} } : {};
    return frame(seq, { type: 'content_block_start', index, content_block: { type: kind, ...empty, ...extra } });
  };
  /** Frames for a delta of block `at`: message_start and the block's start first when needed. */
  const delta = (
    seq: number,
    at: number,
    kind: BlockKind,
    body: Record<string, unknown> | undefined,
    startExtra: Record<string, unknown> = {},
  ): TranslatedFrames => {
    const frames: string[] = [];
    if (!started) {
      started = true;
      frames.push(messageStart(seq));
    }
    let block = blocks.get(at);
    if (!block) {
      block = {
        index: blocks.size,
        kind,
        open: true,
        ...(startExtra['id'] ? { toolUseId: String(startExtra['id']), name: String(startExtra['name']) } : {}),
      };
      blocks.set(at, block);
      frames.push(blockStart(seq, block.index, kind, startExtra));
    }
    if (body) frames.push(frame(seq, { type: 'content_block_delta', index: block.index, delta: body }));
    return { frames, terminal: false };
  };
  const fail = (seq: number, err: TurnError): TranslatedFrames => ({
    frames: [frame(seq, anthropicErrorBody(err.toJSON(), err.status))],
    terminal: true,
    failure: err,
  });
  const none: TranslatedFrames = { frames: [], terminal: false };
  return {
    push(event: TurnEvent): TranslatedFrames {
      switch (event.type) {
        case 'turn-start':
          model = event.modelId;
          return none;
        case 'text-delta':
          return delta(event.seq, event.index, 'text', { type: 'text_delta', text: event.text });
        case 'reasoning-delta':
          if (event.redacted !== undefined) return delta(event.seq, event.index, 'redacted_thinking', undefined, { data: event.redacted });
          if (event.signature !== undefined)
            return delta(event.seq, event.index, 'thinking', { type: 'signature_delta', signature: event.signature });
          return delta(event.seq, event.index, 'thinking', { type: 'thinking_delta', thinking: event.text ?? '' });
        case 'tool-call-start':
          return delta(event.seq, event.index, 'tool_use', undefined, { id: event.toolUseId, name: event.name });
        case 'tool-input-delta':
          return delta(event.seq, event.index, 'tool_use', { type: 'input_json_delta', partial_json: event.json });
        case 'block-end': {
          const block = blocks.get(event.index);
          if (!block || !block.open) return none;
          block.open = false;
          return { frames: [frame(event.seq, { type: 'content_block_stop', index: block.index })], terminal: false };
        }
        case 'turn-retry':
          if (!started) {
            blocks = new Map();
            return none;
          }
          return fail(
            event.seq,
            new TurnError('upstream_unavailable', 'The answer was interrupted and restarted; fetch the whole answer again by turn id.'),
          );
        case 'turn-end': {
          const frames = started ? [] : [messageStart(event.seq)];
          started = true;
          for (const block of blocks.values()) {
            if (block.open) frames.push(frame(event.seq, { type: 'content_block_stop', index: block.index }));
            block.open = false;
          }
          frames.push(
            frame(event.seq, {
              type: 'message_delta',
              delta: { stop_reason: anthropicStopReason(event.stopReason.unified), stop_sequence: null },
              usage: anthropicUsage(event.usage),
            }),
          );
          frames.push(frame(event.seq, { type: 'message_stop' }));
          return { frames, terminal: true };
        }
        case 'turn-error':
          return fail(event.seq, turnErrorFromData({ code: event.code, message: event.message, retryable: event.retryable }));
        case 'turn-cancelled':
          return fail(event.seq, new TurnError('cancelled', `The turn was cancelled (by ${event.by}).`));
        default:
          return none;
      }
    },
    resumePrelude(seq: number): string[] {
      if (!started) return [];
      const frames = [messageStart(seq)];
      for (const block of blocks.values()) {
        if (!block.open) continue;
        const extra = block.kind === 'tool_use' ? { id: block.toolUseId, name: block.name } : {};
        frames.push(blockStart(seq, block.index, block.kind, extra));
      }
      return frames;
    },
  };
}
