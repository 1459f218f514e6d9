import { BedrockRuntimeClient, ConverseStreamCommand, type ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { planResponse, startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import {
  parseTurnRequest,
  TurnError,
  type ContentBlock,
  type GuardrailConfig,
  type ResolvedModel,
  type TurnRequest,
} from '@turnpool/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConverseRequest } from './build-converse-request.ts';
import { classifyBedrockError } from './classify-bedrock-error.ts';
import { mapConverseStream, type MappedEventBody } from './map-converse-stream.ts';

const sonnet: ResolvedModel = {
  ref: 'amazon-bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  baseModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text', 'image', 'document'],
  supportsPromptCache: true,
  cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
};

let emulator: EmulatorHandle;
let runtime: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
  runtime = new BedrockRuntimeClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
  });
});
afterAll(async () => {
  runtime?.destroy();
  await emulator?.close();
});

function request(raw: unknown): TurnRequest {
  const parsed = parseTurnRequest(raw);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** Runs one turn through the real SDK: build, send, map. Errors come back classified. */
async function runTurn(turn: TurnRequest, model: ResolvedModel, profileCandidates: string[] = [], guardrail?: GuardrailConfig) {
  const input = buildConverseRequest(turn, model, guardrail === undefined ? {} : { guardrail });
  const ctx = { modelId: model.modelId, profileCandidates, prices: model.cost ?? undefined };
  const events: MappedEventBody[] = [];
  try {
    const out = await runtime.send(new ConverseStreamCommand(input));
    if (out.stream === undefined) throw new Error('no stream');
    for await (const e of mapConverseStream(out.stream, ctx)) events.push(e);
    return { input, events, error: undefined };
  } catch (err) {
    return { input, events, error: classifyBedrockError(err, ctx) };
  }
}

/** What the emulator will answer, from the JSON body the SDK sends (no binary blocks in these requests). */
function plan(input: ConverseStreamCommandInput) {
  const { modelId, ...body } = input;
  return planResponse(modelId as string, JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
}

describe('against the emulator with the real SDK', () => {
  const ask = '[[tool get_weather {"city":"Paris"}]] What is the weather in Paris?';
  const tools = [
    { name: 'get_weather', description: 'Current weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
  ];

  it('maps a thinking + text + tool call turn to exactly the planned message, usage and cost', async () => {
    const turn = request({ messages: [{ role: 'user', content: [{ text: ask }] }], tools, reasoning: { budgetTokens: 1024 } });
    const { input, events, error } = await runTurn(turn, sonnet);
    expect(error).toBeUndefined();
    const p = plan(input);
    const expected: ContentBlock[] = p.blocks.map((b) => {
      if (b.type === 'reasoning') return { reasoning: { text: b.text, signature: b.signature } };
      if (b.type === 'text') return { text: b.text };
      if (b.type === 'tool-use') return { toolUse: { toolUseId: b.toolUseId, name: b.name, input: b.input as Record<string, never> } };
      return { reasoning: { redacted: b.data } };
    });
    const end = events.at(-1);
    expect(end?.type).toBe('turn-end');
    if (end?.type !== 'turn-end') return;
    expect(end.message).toEqual({ role: 'assistant', content: expected });
    expect(end.stopReason).toEqual({ unified: 'tool_use', raw: 'tool_use' });
    expect(end.usage).toEqual(p.usage);
    expect(end.cost?.total).toBeGreaterThan(0);
    const text = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.text)
      .join('');
    expect(text).toBe(p.blocks.find((b) => b.type === 'text')?.text);
    expect(events.filter((e) => e.type === 'tool-call-start')).toHaveLength(1);
  });

  it('replays that history (signed reasoning, tool call, tool result) without tools: toolConfig is synthesized and Bedrock accepts it', async () => {
    const first = await runTurn(
      request({ messages: [{ role: 'user', content: [{ text: ask }] }], tools, reasoning: { budgetTokens: 1024 } }),
      sonnet,
    );
    const end = first.events.at(-1);
    if (end?.type !== 'turn-end') throw new Error('first turn failed');
    const toolUse = end.message.content.find((b) => 'toolUse' in b);
    if (toolUse === undefined || !('toolUse' in toolUse)) throw new Error('no tool call');
    const second = await runTurn(
      request({
        messages: [
          { role: 'user', content: [{ text: ask }] },
          end.message,
          { role: 'user', content: [{ toolResult: { toolUseId: toolUse.toolUse.toolUseId, content: [{ json: { tempC: 21 } }] } }] },
        ],
        reasoning: { budgetTokens: 1024 },
      }),
      sonnet,
    );
    expect(second.error).toBeUndefined();
    expect(second.input.toolConfig?.tools?.[0]?.toolSpec?.name).toBe('get_weather');
    expect(second.events.at(-1)?.type).toBe('turn-end');
  });

  it('classifies calling a profile-only model by its base id as on_demand_not_supported, naming the profile', async () => {
    const { error } = await runTurn(
      request({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      { ...sonnet, modelId: sonnet.baseModelId },
      [sonnet.modelId],
    );
    expect(error).toBeInstanceOf(TurnError);
    expect(error?.code).toBe('on_demand_not_supported');
    expect(error?.message).toContain(sonnet.modelId);
  });

  it('classifies an in-stream throttling exception as rate_limited, after the deltas that arrived', async () => {
    const { events, error } = await runTurn(
      request({ messages: [{ role: 'user', content: [{ text: '[[tokens 30]] [[error ThrottlingException after 4]]' }] }] }),
      sonnet,
    );
    expect({ code: error?.code, retryable: error?.retryable }).toEqual({ code: 'rate_limited', retryable: true });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type !== 'turn-end')).toBe(true);
  });

  it('classifies a stream cut mid-frame as upstream_unavailable', async () => {
    const { error } = await runTurn(
      request({ messages: [{ role: 'user', content: [{ text: '[[tokens 30]] [[cut after 3]]' }] }] }),
      sonnet,
    );
    expect({ code: error?.code, retryable: error?.retryable }).toEqual({ code: 'upstream_unavailable', retryable: true });
  });

  it('classifies AccessDenied and throttling before the stream', async () => {
    const denied = await runTurn(request({ messages: [{ role: 'user', content: [{ text: '[[error AccessDeniedException]]' }] }] }), sonnet);
    expect(denied.error?.code).toBe('model_access_denied');
    expect(denied.error?.message).toContain('bedrock:InvokeModelWithResponseStream');
    const throttled = await runTurn(
      request({ messages: [{ role: 'user', content: [{ text: '[[error ThrottlingException]]' }] }] }),
      sonnet,
    );
    expect(throttled.error?.code).toBe('rate_limited');
  });

  it('a guardrail intervention is a content-filter stop carrying the trace, not an error', async () => {
    const turn = request({
      messages: [{ role: 'user', content: [{ text: 'Tell me how. [[guardrail-intervene]] [[say Step one: ...]]' }] }],
      guardrailConfig: { guardrailIdentifier: 'gr1abc', guardrailVersion: '2', trace: 'enabled' },
    });
    const { input, events, error } = await runTurn(turn, sonnet);
    expect(error).toBeUndefined();
    expect(input.guardrailConfig).toEqual({ guardrailIdentifier: 'gr1abc', guardrailVersion: '2', trace: 'enabled' });
    const text = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.text)
      .join('');
    expect(text).toBe('Sorry, the model cannot answer this question.');
    const end = events.at(-1);
    if (end?.type !== 'turn-end') throw new Error('expected turn-end');
    expect(end.stopReason).toEqual({ unified: 'content-filter', raw: 'guardrail_intervened' });
    expect(end.message.content).toEqual([{ text: 'Sorry, the model cannot answer this question.' }]);
    expect(end.guardrailTrace?.modelOutput).toEqual(['Step one: ...']);
    expect(end.guardrailTrace?.actionReason).toBe('Guardrail blocked.');
    expect(end.guardrailTrace?.outputAssessments?.['gr1abc']).toEqual([
      expect.objectContaining({
        contentPolicy: { filters: [{ type: 'VIOLENCE', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }] },
      }),
    ]);
  });

  it("the configured default guardrail is sent when the request has none; the request's own wins", async () => {
    const configured: GuardrailConfig = { guardrailIdentifier: 'cfgdefault', guardrailVersion: 'DRAFT', trace: 'enabled' };
    const ask = (extra: object = {}) =>
      request({ messages: [{ role: 'user', content: [{ text: '[[guardrail-intervene]] [[say x]]' }] }], ...extra });
    const byDefault = await runTurn(ask(), sonnet, [], configured);
    const end = byDefault.events.at(-1);
    if (end?.type !== 'turn-end') throw new Error('expected turn-end');
    expect(end.stopReason.unified).toBe('content-filter');
    expect(Object.keys(end.guardrailTrace?.outputAssessments ?? {})).toEqual(['cfgdefault']);
    const own = await runTurn(
      ask({ guardrailConfig: { guardrailIdentifier: 'mine', guardrailVersion: '7', trace: 'enabled' } }),
      sonnet,
      [],
      configured,
    );
    const ownEnd = own.events.at(-1);
    if (ownEnd?.type !== 'turn-end') throw new Error('expected turn-end');
    expect(Object.keys(ownEnd.guardrailTrace?.outputAssessments ?? {})).toEqual(['mine']);
    const none = await runTurn(ask(), sonnet);
    const noneEnd = none.events.at(-1);
    expect(noneEnd?.type === 'turn-end' && noneEnd.stopReason.unified).toBe('end_turn');
    expect(noneEnd?.type === 'turn-end' && noneEnd.guardrailTrace).toBeUndefined();
  });
});
