import { describe, expect, it } from 'vitest';
import { planResponse } from './plan-response.ts';

const user = (text: string) => ({ role: 'user', content: [{ text }] });
const model = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('planResponse', () => {
  it('is deterministic for the same model and last user message, and differs otherwise', () => {
    const a = planResponse(model, { messages: [user('hello')] });
    expect(planResponse(model, { messages: [user('hello')] })).toEqual(a);
    expect(planResponse(model, { messages: [user('hello!')] }).blocks).not.toEqual(a.blocks);
    expect(planResponse('amazon.nova-micro-v1:0', { messages: [user('hello')] }).blocks).not.toEqual(a.blocks);
    expect(a.stopReason).toBe('end_turn');
    expect(a.blocks.map((b) => b.type)).toEqual(['text']);
  });

  it('orders reasoning, redacted reasoning, text, tool calls and reports tool_use', () => {
    const p = planResponse(model, {
      messages: [user('[[tool a {"x":1}]] [[reasoning 4]] [[redacted-reasoning]] [[say Calling a.]] [[tool b]]')],
    });
    expect(p.blocks.map((b) => b.type)).toEqual(['reasoning', 'redacted-reasoning', 'text', 'tool-use', 'tool-use']);
    expect(p.stopReason).toBe('tool_use');
    const [r, , t, a, b] = p.blocks;
    expect(r?.type === 'reasoning' && r.tokens.length).toBe(4);
    expect(t?.type === 'text' && t.text).toBe('Calling a.');
    expect(a?.type === 'tool-use' && [a.name, a.inputJson, /^tooluse_[A-Za-z0-9]{22}$/.test(a.toolUseId)]).toEqual(['a', '{"x":1}', true]);
    expect(b?.type === 'tool-use' && b.input).toEqual({});
  });

  it('reasons when Claude thinking is enabled in additionalModelRequestFields', () => {
    const p = planResponse(model, {
      messages: [user('hi')],
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    });
    expect(p.blocks[0]?.type).toBe('reasoning');
  });

  it('generates N tokens for [[tokens N]] and counts usage', () => {
    const p = planResponse(model, { messages: [user('[[tokens 500]]')], system: [{ text: 'x'.repeat(400) }] });
    const t = p.blocks[0];
    expect(t?.type === 'text' && t.tokens.length).toBe(500);
    expect(p.usage.outputTokens).toBe(500);
    expect(p.usage.inputTokens).toBeGreaterThanOrEqual(100);
    expect(p.usage.totalTokens).toBe(p.usage.inputTokens + 500);
  });

  it('truncates at inferenceConfig.maxTokens with stopReason max_tokens', () => {
    const p = planResponse(model, { messages: [user('[[tokens 50]] [[tool x]]')], inferenceConfig: { maxTokens: 10 } });
    expect(p.blocks).toHaveLength(1);
    expect(p.usage.outputTokens).toBe(10);
    expect(p.stopReason).toBe('max_tokens');
  });

  it('stops at a stop sequence', () => {
    const p = planResponse(model, { messages: [user('[[say one two STOP three]]')], inferenceConfig: { stopSequences: ['STOP'] } });
    expect(p.blocks[0]?.type === 'text' && p.blocks[0].text).toBe('one two ');
    expect(p.stopReason).toBe('stop_sequence');
  });

  it('honours [[stop]], cache counts and pacing directives over options', () => {
    const p = planResponse(
      model,
      { messages: [user('[[stop guardrail_intervened]] [[cache-read 7]] [[cache-write 9]] [[tokens-per-chunk 5]]')] },
      { ttftMs: 1, tokensPerSecond: 2, tokensPerChunk: 3 },
    );
    expect(p.stopReason).toBe('guardrail_intervened');
    expect(p.usage).toMatchObject({ cacheReadInputTokens: 7, cacheWriteInputTokens: 9 });
    expect(p.pacing).toEqual({ ttftMs: 1, tokensPerSecond: 2, tokensPerChunk: 5 });
  });

  it('calls the tool that toolChoice forces, with placeholder required inputs', () => {
    const p = planResponse(model, {
      messages: [user('weather?')],
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              inputSchema: {
                json: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] },
              },
            },
          },
        ],
        toolChoice: { any: {} },
      },
    });
    const call = p.blocks.find((b) => b.type === 'tool-use');
    expect(call?.type === 'tool-use' && call.input).toEqual({ city: 'example', days: 1 });
  });

  it('reads directives only from the last user message', () => {
    const p = planResponse(model, { messages: [user('[[tool x]]'), { role: 'assistant', content: [{ text: 'ok' }] }, user('thanks')] });
    expect(p.blocks.map((b) => b.type)).toEqual(['text']);
  });
});
