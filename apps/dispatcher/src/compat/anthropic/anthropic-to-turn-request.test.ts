import { describe, expect, it } from 'vitest';
import { parseTurnRequest } from '@turnpool/protocol';
import { mapErrorField } from '../map-error-field.ts';
import { anthropicToTurnRequest } from './anthropic-to-turn-request.ts';

const png = 'iVBORw0KGgo=';

function refused(body: unknown, opts?: { forCount?: boolean }) {
  try {
    anthropicToTurnRequest(body, opts);
  } catch (err) {
    return err as { code: string; field: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('anthropicToTurnRequest', () => {
  it('translates blocks, system with cache_control, tools, thinking, stop sequences and metadata', () => {
    const t = anthropicToTurnRequest({
      model: 'claude-x',
      max_tokens: 2048,
      stream: true,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      system: [{ type: 'text', text: 'Be terse.', cache_control: { type: 'ephemeral' } }],
      thinking: { type: 'enabled', budget_tokens: 1500 },
      metadata: { user_id: 'u-1' },
      tool_choice: { type: 'tool', name: 'get_weather' },
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            { type: 'document', title: 'Q3 report.pdf', source: { type: 'base64', media_type: 'application/pdf', data: png } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'redacted_thinking', data: 'AQID' },
            { type: 'tool_use', id: 'tu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'tu_1',
              content: [
                { type: 'text', text: '21' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: png } },
              ],
              is_error: true,
            },
          ],
        },
        { role: 'user', content: 'and?' },
      ],
    });
    expect(t.stream).toBe(true);
    expect(t.request).toEqual({
      model: 'claude-x',
      system: [{ text: 'Be terse.', cachePoint: true }],
      promptCache: true,
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Look' },
            { image: { format: 'png', data: png } },
            { document: { format: 'pdf', name: 'Q3 report', data: png } },
            { document: { format: 'txt', name: 'document', text: 'notes' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { reasoning: { text: 'hmm', signature: 'sig' } },
            { reasoning: { redacted: 'AQID' } },
            { toolUse: { toolUseId: 'tu_1', name: 'get_weather', input: { city: 'Paris' } } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tu_1', content: [{ text: '21' }, { image: { format: 'jpeg', data: png } }], status: 'error' } },
            { text: 'and?' },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 2048, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      tools: [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } }],
      toolChoice: { tool: 'get_weather' },
      reasoning: { budgetTokens: 1500 },
      metadata: { user_id: 'u-1' },
    });
    expect(parseTurnRequest(t.request).ok).toBe(true);
  });

  it('count_tokens bodies need no max_tokens', () => {
    expect(
      anthropicToTurnRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { forCount: true }).request['inferenceConfig'],
    ).toBeUndefined();
  });

  it.each([
    [{ max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, 'model', 'required'],
    [{ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens', 'required'],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'hi' }] }, 'messages[0].role', 'user'],
    [
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] },
      'messages[0].content[0].source.type',
      'base64',
    ],
    [
      {
        model: 'm',
        max_tokens: 5,
        messages: [
          { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/zip', data: 'AA==' } }] },
        ],
      },
      'messages[0].content[0].source.media_type',
      'application/pdf',
    ],
    [
      {
        model: 'm',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      },
      'tools[0].type',
      'server tools',
    ],
    [
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], thinking: { type: 'sometimes' } },
      'thinking.type',
      'enabled',
    ],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], metadata: { session: 'x' } }, 'metadata.session', 'unknown'],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], top_k: 3 }, 'top_k', 'unknown'],
  ])('refuses %j naming %s', (body, field, text) => {
    const err = refused(body);
    expect(err).toMatchObject({ code: 'invalid_request', field });
    expect(err.message).toContain(text);
  });

  it("names Anthropic fields in errors turnpool's own validation raises on the translation", () => {
    const t = anthropicToTurnRequest({
      model: 'm',
      max_tokens: 5,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 'bad name', input: {} }] },
      ],
    });
    const parsed = parseTurnRequest(t.request);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(mapErrorField(parsed.error, t.origins, t.fieldNames)).toMatchObject({ field: 'messages[1].content[0]' });
  });
});
