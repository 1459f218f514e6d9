import { ConverseCommand, ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planResponse } from './plan-response.ts';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => { emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 }); });
afterAll(async () => { await emu.close(); });

const tools = { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] };

async function collect(modelId: string, text: string, extra: object = {}): Promise<ConverseStreamOutput[]> {
  const { runtime } = testClients(emu.url);
  const out = await runtime.send(new ConverseStreamCommand({ modelId, messages: [userText(text)], ...extra }));
  const events: ConverseStreamOutput[] = [];
  for await (const e of out.stream ?? []) events.push(e);
  return events;
}

const kindOf = (e: ConverseStreamOutput): string => {
  const key = Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined) ?? '?';
  if (key === 'contentBlockDelta') return `delta:${Object.keys(e.contentBlockDelta?.delta ?? {}).join()}`;
  return key;
};

describe('ConverseStream through the real SDK (HTTP/2)', () => {
  it('streams reasoning, text, tool use, messageStop and metadata in the real order', async () => {
    const text = 'Weather? [[reasoning 6]] [[say Let me check.]] [[tool get_weather {"city":"Paris"}]]';
    const events = await collect('us.anthropic.claude-sonnet-4-20250514-v1:0', text, { toolConfig: tools });
    const kinds = events.map(kindOf);
    expect(kinds[0]).toBe('messageStart');
    expect(kinds.slice(1, 3)).toEqual(['delta:reasoningContent', 'delta:reasoningContent']);
    expect(kinds.at(-2)).toBe('messageStop');
    expect(kinds.at(-1)).toBe('metadata');
    // reasoning: text deltas, then one signature delta, then stop; no contentBlockStart for reasoning/text
    const block0 = events.filter((e) => e.contentBlockDelta?.contentBlockIndex === 0).map((e) => e.contentBlockDelta?.delta?.reasoningContent);
    expect(block0.at(-1)?.signature).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(block0.slice(0, -1).every((r) => typeof r?.text === 'string')).toBe(true);
    expect(events.filter((e) => e.contentBlockStart).map((e) => e.contentBlockStart?.contentBlockIndex)).toEqual([2]);
    expect(events.filter((e) => e.contentBlockStop).map((e) => e.contentBlockStop?.contentBlockIndex)).toEqual([0, 1, 2]);
    const textOut = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(textOut).toBe('Let me check.');
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart?.start?.toolUse;
    expect(start?.name).toBe('get_weather');
    expect(start?.toolUseId).toMatch(/^tooluse_[A-Za-z0-9]{22}$/);
    const input = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
    expect(JSON.parse(input)).toEqual({ city: 'Paris' });
    expect(events.at(-2)?.messageStop?.stopReason).toBe('tool_use');
    const meta = events.at(-1)?.metadata;
    expect(meta?.usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    expect(meta?.usage?.totalTokens).toBe((meta?.usage?.inputTokens ?? 0) + (meta?.usage?.outputTokens ?? 0));
    expect(typeof meta?.metrics?.latencyMs).toBe('number');
  });

  it('sends exactly what planResponse predicts', async () => {
    const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
    const request = { messages: [userText('Tell me something [[tokens 25]]')] };
    const plan = planResponse(modelId, request);
    const events = await collect(modelId, 'Tell me something [[tokens 25]]');
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    const predicted = plan.blocks[0];
    expect(predicted?.type === 'text' && predicted.text).toBe(text);
    expect(events.at(-1)?.metadata?.usage).toEqual({ ...plan.usage });
    expect(events.at(-2)?.messageStop?.stopReason).toBe(plan.stopReason);
  });

  it('delivers redacted reasoning as bytes and honours tokens-per-chunk', async () => {
    const events = await collect('anthropic.claude-3-haiku-20240307-v1:0', '[[redacted-reasoning]] [[tokens 10]] [[tokens-per-chunk 5]]');
    expect(events[1]?.contentBlockDelta?.delta?.reasoningContent?.redactedContent).toBeInstanceOf(Uint8Array);
    const textDeltas = events.filter((e) => e.contentBlockDelta?.delta?.text !== undefined);
    expect(textDeltas).toHaveLength(2);
  });

  it('accepts an inference-profile ARN and a foundation-model ARN', async () => {
    const profileArn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';
    expect((await collect(profileArn, 'hi')).at(-1)?.metadata).toBeDefined();
    const modelArn = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0';
    expect((await collect(modelArn, 'hi')).at(-1)?.metadata).toBeDefined();
  });
});

describe('Converse (non-streaming)', () => {
  it('answers with the planned content, tool input as an object', async () => {
    const { runtime } = testClients(emu.url);
    const text = '[[reasoning 3]] [[say Sure.]] [[tool get_weather {"city":"Oslo"}]]';
    const out = await runtime.send(new ConverseCommand({ modelId: 'amazon.nova-pro-v1:0', messages: [userText(text)], toolConfig: tools }));
    const content = out.output?.message?.content ?? [];
    expect(content[0]?.reasoningContent?.reasoningText?.signature).toBeTruthy();
    expect(content[1]?.text).toBe('Sure.');
    expect(content[2]?.toolUse).toMatchObject({ name: 'get_weather', input: { city: 'Oslo' } });
    expect(out.stopReason).toBe('tool_use');
    const plan = planResponse('amazon.nova-pro-v1:0', { messages: [userText(text)], toolConfig: tools });
    expect(out.usage).toEqual(plan.usage);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
