import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '@turnpool/protocol';
import { toolTurnEvents } from '../__fixtures__/tool-turn-events.ts';
import { openAiCompletion } from './openai-completion.ts';
import { createOpenAiTranslator } from './openai-translator.ts';

const meta = { id: 'chatcmpl-t1', created: 100, model: 'gpt-4o' };
const data = (frame: string) => {
  const json = /^data: (.*)$/m.exec(frame)?.[1] ?? '';
  return json === '[DONE]' ? json : (JSON.parse(json) as Record<string, unknown>);
};

describe('createOpenAiTranslator', () => {
  it('turns a thinking + text + tool turn into chat.completion.chunk frames, usage and [DONE]', () => {
    const t = createOpenAiTranslator({ ...meta, includeUsage: true });
    const frames = toolTurnEvents.flatMap((e) => t.push(e).frames);
    const deltas = frames.map(data).map((d) =>
      d === '[DONE]'
        ? d
        : {
            delta: (d['choices'] as { delta: unknown }[])[0]?.delta,
            finish: (d['choices'] as { finish_reason: unknown }[])[0]?.finish_reason,
            usage: d['usage'],
            seq: d['turnpool_seq'],
          },
    );
    expect(deltas).toEqual([
      { delta: { role: 'assistant', reasoning_content: 'Let me think' }, finish: null, usage: null, seq: 2 },
      { delta: { content: 'Checking' }, finish: null, usage: null, seq: 5 },
      {
        delta: { tool_calls: [{ index: 0, id: 'tu_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
        finish: null,
        usage: null,
        seq: 7,
      },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish: null, usage: null, seq: 8 },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, finish: null, usage: null, seq: 9 },
      { delta: {}, finish: 'tool_calls', usage: null, seq: 11 },
      {
        delta: undefined,
        finish: undefined,
        usage: { prompt_tokens: 14, completion_tokens: 34, total_tokens: 48, prompt_tokens_details: { cached_tokens: 2 } },
        seq: 11,
      },
      '[DONE]',
    ]);
    expect(frames[0]).toMatch(/^id: 2\ndata: /);
    expect((data(frames[0] ?? '') as { model: string }).model).toBe('us.m-v1:0');
  });

  it('a failure before output is reported for an HTTP status; after output it is an {error} frame', () => {
    const failed: TurnEvent = {
      turnId: 't1',
      attempt: 1,
      ts: 1,
      seq: 2,
      type: 'turn-error',
      code: 'rate_limited',
      message: 'slow down',
      retryable: true,
    };
    const early = createOpenAiTranslator({ ...meta, includeUsage: false }).push(failed);
    expect(early.failure?.status).toBe(429);
    expect(early.terminal).toBe(true);
    expect(data(early.frames[0] ?? '')).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limited', message: 'slow down' } });
  });

  it("drops a retried attempt's state before output, and cannot take output back after it", () => {
    const t = createOpenAiTranslator({ ...meta, includeUsage: false });
    const retry: TurnEvent = { turnId: 't1', attempt: 2, ts: 1, seq: 3, type: 'turn-retry', reason: 'lost' };
    expect(t.push(retry).frames).toEqual([]);
    t.push({ turnId: 't1', attempt: 2, ts: 1, seq: 4, type: 'text-delta', index: 0, text: 'a' });
    expect(t.push({ ...retry, seq: 5 }).failure?.code).toBe('upstream_unavailable');
  });

  it('builds the non-streaming chat.completion from turn-end', () => {
    const end = toolTurnEvents.at(-1);
    if (end?.type !== 'turn-end') throw new Error('fixture');
    expect(openAiCompletion(end, meta)).toEqual({
      id: 'chatcmpl-t1',
      object: 'chat.completion',
      created: 100,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Checking',
            refusal: null,
            reasoning_content: 'Let me think',
            tool_calls: [{ id: 'tu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 14, completion_tokens: 34, total_tokens: 48, prompt_tokens_details: { cached_tokens: 2 } },
    });
  });
});
