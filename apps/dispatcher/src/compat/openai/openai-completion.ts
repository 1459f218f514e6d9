import type { TurnEndEvent } from '@turnpool/protocol';
import { openAiFinishReason } from './openai-finish-reason.ts';
import { openAiUsage } from './openai-usage.ts';

/** Identity of a completion: `chatcmpl-<turnId>`, its creation time (s) and the model shown. */
export interface OpenAiCompletionMeta {
  id: string;
  created: number;
  model: string;
}

/** The non-streaming `chat.completion` object for a finished turn. */
export function openAiCompletion(end: TurnEndEvent, meta: OpenAiCompletionMeta) {
  let text = '';
  let reasoning = '';
  const toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const block of end.message.content) {
    if ('text' in block) text += block.text;
    else if ('reasoning' in block && 'text' in block.reasoning) reasoning += block.reasoning.text;
    else if ('toolUse' in block) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: 'function',
        function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input) },
      });
    }
  }
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(reasoning === '' ? {} : { reasoning_content: reasoning }),
        },
        logprobs: null,
        finish_reason: openAiFinishReason(end.stopReason.unified),
      },
    ],
    usage: openAiUsage(end.usage),
  };
}
