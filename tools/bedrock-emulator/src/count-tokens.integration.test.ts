import {
  ConverseStreamCommand,
  CountTokensCommand,
  ResourceNotFoundException,
  ValidationException,
  type Message,
  type SystemContentBlock,
  type ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.reset();
});

const runtime = () => testClients(emu.url).runtime;
const sonnet = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

const system: SystemContentBlock[] = [{ text: 'You are a terse assistant that answers in one line.' }];
const toolConfig: ToolConfiguration = {
  tools: [
    {
      toolSpec: {
        name: 'get_weather',
        description: 'Weather for a city',
        inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    },
  ],
};
const messages: Message[] = [
  userText('What is the weather in Paris? [[tokens 4]]'),
  { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }] },
  {
    role: 'user',
    content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ json: { tempC: 21, sky: 'clear' } }] } }, { text: 'And tomorrow?' }],
  },
];

async function billedInputTokens(modelId: string): Promise<number | undefined> {
  const out = await runtime().send(new ConverseStreamCommand({ modelId, messages, system, toolConfig }));
  let input: number | undefined;
  for await (const e of out.stream ?? []) input = e.metadata?.usage?.inputTokens ?? input;
  return input;
}

describe('CountTokens through the real SDK', () => {
  it('returns the input tokens a ConverseStream call with the same messages, system and tools is billed', async () => {
    const before = emu.stats();
    const counted = await runtime().send(
      new CountTokensCommand({ modelId: sonnet, input: { converse: { messages, system, toolConfig } } }),
    );
    expect(counted.inputTokens).toBeGreaterThan(10);
    expect(counted.inputTokens).toBe(await billedInputTokens(sonnet));
    expect(emu.stats().calls.CountTokens).toBe(before.calls.CountTokens + 1);
    // No charge: CountTokens takes nothing from a quota, even one that admits nothing.
    emu.configure({ quotas: { [sonnet]: { rpm: 0 } } });
    const quotaStats = emu.stats().quotas;
    await expect(
      runtime().send(new CountTokensCommand({ modelId: sonnet, input: { converse: { messages: [userText('hi')] } } })),
    ).resolves.toMatchObject({ inputTokens: 2 });
    expect(emu.stats().quotas).toEqual(quotaStats);
  });

  it('counts an InvokeModel body (base64 JSON) from its system, messages and tools', async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 100,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hello there, how are you?' }],
      }),
    );
    const out = await runtime().send(
      new CountTokensCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', input: { invokeModel: { body } } }),
    );
    // "Be brief." (9) + "user" (4) + "Hello there, how are you?" (25) = 38 characters -> 10 tokens
    expect(out.inputTokens).toBe(10);
  });

  it('answers an unknown model with the same error as ConverseStream', async () => {
    const modelId = 'anthropic.claude-nonexistent-v9:0';
    const counted = await runtime()
      .send(new CountTokensCommand({ modelId, input: { converse: { messages: [userText('hi')] } } }))
      .catch((e: unknown) => e);
    const streamed = await runtime()
      .send(new ConverseStreamCommand({ modelId, messages: [userText('hi')] }))
      .catch((e: unknown) => e);
    expect(counted).toBeInstanceOf(ResourceNotFoundException);
    expect((counted as Error).message).toBe((streamed as Error).message);
    expect((counted as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('validates the converse input like a Converse body', async () => {
    const err = await runtime()
      .send(
        new CountTokensCommand({ modelId: sonnet, input: { converse: { messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] } } }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toMatch(/must start with a user message/);
  });
});
