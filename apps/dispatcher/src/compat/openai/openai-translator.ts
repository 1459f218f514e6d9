import { TurnError, turnErrorFromData, type TurnEvent } from '@turnpool/protocol';
import type { CompatTranslator, TranslatedFrames } from '../compat-translator.ts';
import { sseFrame } from '../sse-frame.ts';
import { openAiErrorBody } from './openai-error.ts';
import { openAiFinishReason } from './openai-finish-reason.ts';
import { openAiUsage } from './openai-usage.ts';
import type { OpenAiCompletionMeta } from './openai-completion.ts';

/**
 * Turn events → `chat.completion.chunk` frames: the role with the first delta, `content`
 * deltas, `reasoning_content` deltas (the de-facto field of OpenAI-compatible servers), tool
 * calls (`id` and `name` in the first delta of each, then `arguments` fragments, indexed in
 * order of appearance), one chunk with `finish_reason`, the usage chunk when asked for, `[DONE]`.
 * A failure after output is an `{error}` frame, which the OpenAI client raises as an APIError.
 */
export function createOpenAiTranslator(meta: OpenAiCompletionMeta & { includeUsage: boolean }): CompatTranslator {
  let model = meta.model;
  let roleSent = false;
  let output = false;
  let toolIndexes = new Map<number, number>();
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(meta.includeUsage ? { usage: null } : {}),
  });
  const content = (seq: number, delta: Record<string, unknown>): TranslatedFrames => {
    output = true;
    const first = roleSent ? {} : { role: 'assistant' };
    roleSent = true;
    return { frames: [sseFrame(seq, chunk({ ...first, ...delta }))], terminal: false };
  };
  const fail = (seq: number, err: TurnError): TranslatedFrames => ({
    frames: [sseFrame(seq, openAiErrorBody(err.toJSON(), err.status))],
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
          return content(event.seq, { content: event.text });
        case 'reasoning-delta':
          return event.text === undefined ? none : content(event.seq, { reasoning_content: event.text });
        case 'tool-call-start': {
          const index = toolIndexes.size;
          toolIndexes.set(event.index, index);
          return content(event.seq, {
            tool_calls: [{ index, id: event.toolUseId, type: 'function', function: { name: event.name, arguments: '' } }],
          });
        }
        case 'tool-input-delta':
          return content(event.seq, { tool_calls: [{ index: toolIndexes.get(event.index) ?? 0, function: { arguments: event.json } }] });
        case 'turn-retry':
          if (!output) {
            toolIndexes = new Map();
            return none;
          }
          // Only with retry.afterOutput: the text sent cannot be taken back.
          return fail(
            event.seq,
            new TurnError('upstream_unavailable', 'The answer was interrupted and restarted; fetch the whole answer again by turn id.'),
          );
        case 'turn-end': {
          const frames = [
            sseFrame(event.seq, chunk(roleSent ? {} : { role: 'assistant', content: '' }, openAiFinishReason(event.stopReason.unified))),
          ];
          roleSent = true;
          if (meta.includeUsage) {
            frames.push(
              sseFrame(event.seq, {
                id: meta.id,
                object: 'chat.completion.chunk',
                created: meta.created,
                model,
                choices: [],
                usage: openAiUsage(event.usage),
              }),
            );
          }
          frames.push(sseFrame(event.seq, '[DONE]'));
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
    resumePrelude: () => [],
  };
}
