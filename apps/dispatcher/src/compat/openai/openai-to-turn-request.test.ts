import { describe, expect, it } from 'vitest';
import { parseTurnRequest } from '@turnpool/protocol';
import { mapErrorField } from '../map-error-field.ts';
import { openAiToTurnRequest } from './openai-to-turn-request.ts';

const png = 'iVBORw0KGgo=';

function refused(body: unknown) {
  try {
    openAiToTurnRequest(body);
  } catch (err) {
    return err as { code: string; field: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('openAiToTurnRequest', () => {
  it('translates a whole conversation: system/developer → system, tool calls → toolUse, tool messages → one user message of toolResults', () => {
    const t = openAiToTurnRequest({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 300,
      temperature: 1.4,
      top_p: 0.5,
      stop: 'END',
      reasoning_effort: 'minimal',
      user: 'u-1',
      parallel_tool_calls: true,
      n: 1,
      seed: 4,
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'noop' } },
      ],
      tool_choice: 'required',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Really.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}`, detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21 C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '25 C' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(t).toMatchObject({ stream: true, includeUsage: true, model: 'gpt-4o' });
    expect(t.request).toEqual({
      model: 'gpt-4o',
      system: [{ text: 'Be terse.' }, { text: 'Really.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather?' }, { image: { format: 'png', data: png } }] },
        {
          role: 'assistant',
          content: [
            { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
            { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: {} } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'call_1', content: [{ text: '21 C' }], status: 'success' } },
            { toolResult: { toolUseId: 'call_2', content: [{ text: '25 C' }], status: 'success' } },
            { text: 'Thanks' },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 300, temperature: 1, topP: 0.5, stopSequences: ['END'] },
      tools: [
        { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } },
        { name: 'noop', inputSchema: { type: 'object', properties: {} } },
      ],
      toolChoice: 'any',
      reasoning: { effort: 'low' },
      metadata: { user: 'u-1' },
    });
    expect(parseTurnRequest(t.request).ok).toBe(true);
    expect(t.origins[2]).toEqual(['messages[4]', 'messages[5]', 'messages[6].content']);
  });

  it('maps tool_choice: a named function, and none (tools dropped unless the history has tool calls)', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const base = { messages: [{ role: 'user', content: 'hi' }], tools };
    expect(openAiToTurnRequest({ ...base, tool_choice: { type: 'function', function: { name: 'f' } } }).request['toolChoice']).toEqual({
      tool: 'f',
    });
    expect(openAiToTurnRequest({ ...base, tool_choice: 'none' }).request['tools']).toBeUndefined();
    expect(openAiToTurnRequest({ ...base, tool_choice: 'auto' }).request['toolChoice']).toBe('auto');
    expect(openAiToTurnRequest({ ...base, reasoning_effort: 'none' }).request['reasoning']).toBeUndefined();
    expect(openAiToTurnRequest({ ...base, max_tokens: 7 }).request['inferenceConfig']).toEqual({ maxTokens: 7 });
  });

  it.each([
    [{ messages: 'x' }, 'messages', 'expected an array'],
    [{ messages: [] }, 'messages', 'at least one'],
    [{ messages: [{ role: 'user', content: 'hi' }], frobnicate: 1 }, 'frobnicate', 'unknown'],
    [{ messages: [{ role: 'wizard', content: 'hi' }] }, 'messages[0].role', 'expected one of'],
    [{ messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] }, 'messages[0].content[0].type', 'expected'],
    [
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/a.png' } }] }] },
      'messages[0].content[0].image_url.url',
      'remote',
    ],
    [
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } }] }] },
      'messages[0].content[0].image_url.url',
      'image/png',
    ],
    [
      {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{' } }] },
        ],
      },
      'messages[1].tool_calls[0].function.arguments',
      'not valid JSON',
    ],
    [
      {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] },
        ],
      },
      'messages[1].tool_calls[0].function.arguments',
      'JSON object',
    ],
    [{ messages: [{ role: 'user', content: 'hi' }], temperature: 3 }, 'temperature', '0 to 2'],
    [{ messages: [{ role: 'user', content: 'hi' }], max_tokens: 1.5 }, 'max_tokens', 'integer'],
    [{ messages: [{ role: 'user', content: 'hi' }], n: 2 }, 'n', 'only 1'],
    [{ messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }, 'response_format', 'text'],
    [{ messages: [{ role: 'user', content: 'hi' }], reasoning_effort: 'max' }, 'reasoning_effort', 'expected one of'],
    [{ messages: [{ role: 'user', content: 'hi' }], tool_choice: 'sometimes' }, 'tool_choice', 'expected'],
    [{ messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'custom', custom: {} }] }, 'tools[0].type', 'function'],
    ['nope', 'body', 'object'],
  ])('refuses %j naming %s', (body, field, text) => {
    const err = refused(body);
    expect(err).toMatchObject({ code: 'invalid_request', field });
    expect(err.message).toContain(text);
    expect(err.message.startsWith(`${field}:`)).toBe(true);
  });

  it("names OpenAI fields in errors turnpool's own validation raises on the translation", () => {
    const check = (body: object) => {
      const t = openAiToTurnRequest(body);
      const parsed = parseTurnRequest(t.request);
      if (parsed.ok) throw new Error('expected a refusal');
      return mapErrorField(parsed.error, t.origins, t.fieldNames) as { field: string; message: string };
    };
    expect(
      check({
        messages: [
          { role: 'system', content: 'x' },
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,***' } }] },
        ],
      }),
    ).toMatchObject({ field: 'messages[1].content[0]' });
    expect(check({ messages: [{ role: 'user', content: 'hi' }], top_p: 7 }).field).toBe('top_p');
    expect(check({ messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 10_000_000 }).field).toBe('max_completion_tokens');
    const assistantFirst = check({ messages: [{ role: 'assistant', content: 'hi' }] });
    expect(assistantFirst.field).toBe('messages[0]');
    expect(assistantFirst.message.startsWith('messages[0]:')).toBe(true);
  });
});
