import { describe, expect, it } from 'vitest';
import { toolTurnEvents } from '../__fixtures__/tool-turn-events.ts';
import { anthropicMessage } from './anthropic-message.ts';
import { createAnthropicTranslator } from './anthropic-translator.ts';

const meta = { id: 'msg_t1', created: 100, model: 'claude', includeUsage: false };
const parse = (frame: string) => ({
  event: /^event: (.*)$/m.exec(frame)?.[1],
  data: JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null') as Record<string, unknown>,
});

describe('createAnthropicTranslator', () => {
  it('turns a thinking + text + tool turn into the Messages stream events', () => {
    const t = createAnthropicTranslator(meta);
    const events = toolTurnEvents.flatMap((e) => t.push(e).frames).map(parse);
    expect(events.every((e) => e.event === e.data['type'])).toBe(true);
    expect(events.map(({ data: { turnpool_seq: _s, ...d } }) => d)).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_t1',
          type: 'message',
          role: 'assistant',
          model: 'us.m-v1:0',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', input: {}, id: 'tu_1', name: 'get_weather' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: 12, output_tokens: 34, cache_creation_input_tokens: 0, cache_read_input_tokens: 2 },
      },
      { type: 'message_stop' },
    ]);
  });

  it("a resumed stream starts with message_start and the open block's start, at the resume point", () => {
    const t = createAnthropicTranslator(meta);
    for (const e of toolTurnEvents.slice(0, 8)) t.push(e); // up to seq 8: inside the tool block
    const prelude = t.resumePrelude(8).map(parse);
    expect(prelude.map((e) => e.event)).toEqual(['message_start', 'content_block_start']);
    expect(prelude[1]?.data).toMatchObject({
      index: 2,
      content_block: { type: 'tool_use', id: 'tu_1', name: 'get_weather' },
      turnpool_seq: 8,
    });
    expect(createAnthropicTranslator(meta).resumePrelude(0)).toEqual([]);
  });

  it("a failure is an error event in Anthropic's shape", () => {
    const out = createAnthropicTranslator(meta).push({
      turnId: 't1',
      attempt: 1,
      ts: 1,
      seq: 3,
      type: 'turn-error',
      code: 'context_overflow',
      message: 'too long',
      retryable: false,
    });
    expect(out.failure?.status).toBe(400);
    expect(parse(out.frames[0] ?? '')).toMatchObject({
      event: 'error',
      data: { type: 'error', error: { type: 'invalid_request_error', message: 'too long' } },
    });
  });

  it('builds the non-streaming message from turn-end', () => {
    const end = toolTurnEvents.at(-1);
    if (end?.type !== 'turn-end') throw new Error('fixture');
    expect(anthropicMessage(end, meta)).toEqual({
      id: 'msg_t1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      stop_reason: 'tool_use',
      stop_sequence: null,
      content: [
        { type: 'thinking', thinking: 'Let me think', signature: 'sig' },
        { type: 'text', text: 'Checking' },
        { type: 'tool_use', id: 'tu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
      usage: { input_tokens: 12, output_tokens: 34, cache_creation_input_tokens: 0, cache_read_input_tokens: 2 },
    });
  });
});
