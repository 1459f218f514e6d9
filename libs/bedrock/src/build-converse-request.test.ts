import type { ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { parseTurnRequest, type GuardrailConfig, type ResolvedModel, type TurnRequest } from '@turnpool/protocol';
import { describe, expect, it } from 'vitest';
import { buildConverseRequest, emptyAssistantText } from './build-converse-request.ts';
import { planOutputTokens } from './plan-output-tokens.ts';
import { historyToolDescription, placeholderToolName } from './build-tool-config.ts';

const claude: ResolvedModel = {
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
};
const nova: ResolvedModel = {
  ref: 'amazon-bedrock/amazon.nova-lite-v1:0',
  modelId: 'amazon.nova-lite-v1:0',
  baseModelId: 'amazon.nova-lite-v1:0',
  provider: 'amazon',
  region: 'us-east-1',
  contextWindow: 300_000,
  maxTokens: 5_000,
  reasoning: false,
  input: ['text', 'image'],
  supportsPromptCache: false,
};

/** Builds from a request that has passed the protocol's own validation. */
function build(raw: unknown, model: ResolvedModel = claude, defaultMaxTokens?: number): ConverseStreamCommandInput {
  const parsed = parseTurnRequest(raw);
  if (!parsed.ok) throw parsed.error;
  return buildConverseRequest(parsed.value, model, defaultMaxTokens === undefined ? {} : { defaultMaxTokens });
}

const hi = { role: 'user', content: [{ text: 'hi' }] };
const history = [
  { role: 'user', content: [{ text: 'Weather in Paris?' }] },
  {
    role: 'assistant',
    content: [
      { reasoning: { text: 'The user wants weather.', signature: 'EqQBCkgIARAB' } },
      { reasoning: { redacted: 'AQIDBA==' } },
      { reasoning: { text: 'unsigned thought' } },
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ],
  },
  { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ json: { temp: 21 } }], status: 'success' } }] },
];

describe('buildConverseRequest', () => {
  it('builds the whole request for a plain turn', () => {
    expect(build({ messages: [hi] }, nova)).toEqual({
      modelId: 'amazon.nova-lite-v1:0',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      inferenceConfig: { maxTokens: 4096 },
    });
  });

  it('replays signed reasoning verbatim, unsigned reasoning as text, and keeps redacted reasoning (Anthropic)', () => {
    const out = build({ messages: history, tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] });
    expect(out.messages?.[1]?.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'The user wants weather.', signature: 'EqQBCkgIARAB' } } },
      { reasoningContent: { redactedContent: new Uint8Array([1, 2, 3, 4]) } },
      { text: 'unsigned thought' },
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
  });

  it('drops every reasoning block for non-Anthropic models', () => {
    const out = build({ messages: history, tools: [{ name: 'get_weather', inputSchema: {} }] }, nova);
    expect(out.messages?.[1]?.content).toEqual([
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
  });

  it('keeps an assistant message non-empty when all its blocks are dropped', () => {
    const out = build({ messages: [hi, { role: 'assistant', content: [{ reasoning: { text: 't', signature: 's' } }] }, hi] }, nova);
    expect(out.messages?.[1]?.content).toEqual([{ text: emptyAssistantText }]);
  });

  it('drops blank text blocks next to other content', () => {
    const out = build(
      {
        messages: [
          hi,
          { role: 'assistant', content: [{ text: '\n\n' }, { toolUse: { toolUseId: 't', name: 'n', input: {} } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ text: 'ok' }] } }] },
        ],
      },
      nova,
    );
    expect(out.messages?.[1]?.content).toEqual([{ toolUse: { toolUseId: 't', name: 'n', input: {} } }]);
  });

  it('synthesizes a toolConfig from history tool names when no tools are given', () => {
    expect(build({ messages: history }, nova).toolConfig).toEqual({
      tools: [
        {
          toolSpec: { name: 'get_weather', description: historyToolDescription, inputSchema: { json: { type: 'object', properties: {} } } },
        },
      ],
    });
  });

  it('synthesizes a placeholder tool when the history has tool results but no tool calls', () => {
    const out = build({ messages: [{ role: 'user', content: [{ toolResult: { toolUseId: 'x', content: [{ text: 'r' }] } }] }] }, nova);
    expect(out.toolConfig?.tools?.map((t) => t.toolSpec?.name)).toEqual([placeholderToolName]);
  });

  it('sends no toolConfig without tools or tool history', () => {
    expect(build({ messages: [hi] }).toolConfig).toBeUndefined();
  });

  it('maps tools and every toolChoice', () => {
    const tools = [
      { name: 'a', description: 'A', inputSchema: { type: 'object' } },
      { name: 'b', inputSchema: {} },
    ];
    const base = build({ messages: [hi], tools }, nova).toolConfig;
    expect(base).toEqual({
      tools: [
        { toolSpec: { name: 'a', description: 'A', inputSchema: { json: { type: 'object' } } } },
        { toolSpec: { name: 'b', inputSchema: { json: {} } } },
      ],
    });
    expect(build({ messages: [hi], tools, toolChoice: 'auto' }, nova).toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(build({ messages: [hi], tools, toolChoice: 'any' }, nova).toolConfig?.toolChoice).toEqual({ any: {} });
    expect(build({ messages: [hi], tools, toolChoice: { tool: 'b' } }, nova).toolConfig?.toolChoice).toEqual({ tool: { name: 'b' } });
  });

  it('defaults maxTokens to min(model.maxTokens, 4096) and honours defaultMaxTokens and an explicit value', () => {
    expect(build({ messages: [hi] }, { ...nova, maxTokens: 2000 }).inferenceConfig?.maxTokens).toBe(2000);
    expect(build({ messages: [hi] }, claude).inferenceConfig?.maxTokens).toBe(4096);
    expect(build({ messages: [hi] }, claude, 1000).inferenceConfig?.maxTokens).toBe(1000);
    expect(build({ messages: [hi], inferenceConfig: { maxTokens: 123 } }, claude).inferenceConfig?.maxTokens).toBe(123);
  });

  it('sends thinking only to Anthropic reasoning models, and raises maxTokens above the budget', () => {
    const out = build({
      messages: [hi],
      reasoning: { budgetTokens: 10_000 },
      inferenceConfig: { temperature: 0.3, topP: 0.5, maxTokens: 2000 },
    });
    expect(out.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 10_000 } });
    expect(out.inferenceConfig).toEqual({ maxTokens: 14_096 });
    expect(build({ messages: [hi], reasoning: { effort: 'low' } }).additionalModelRequestFields).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    expect(build({ messages: [hi], reasoning: { budgetTokens: 2048 } }, nova).additionalModelRequestFields).toBeUndefined();
    expect(
      build({ messages: [hi], reasoning: { budgetTokens: 2048 } }, { ...claude, reasoning: false }).additionalModelRequestFields,
    ).toBeUndefined();
  });

  it('keeps maxTokens above the budget even when the model allows little more', () => {
    const out = build({ messages: [hi], reasoning: { budgetTokens: 8000 } }, { ...claude, maxTokens: 8000 });
    expect(out.inferenceConfig?.maxTokens).toBe(8001);
  });

  it('leaves thinking out when toolChoice forces a tool', () => {
    const out = build({
      messages: [hi],
      reasoning: { budgetTokens: 2048 },
      tools: [{ name: 'a', inputSchema: {} }],
      toolChoice: 'any',
      inferenceConfig: { temperature: 0.2 },
    });
    expect(out.additionalModelRequestFields).toBeUndefined();
    expect(out.inferenceConfig).toEqual({ maxTokens: 4096, temperature: 0.2 });
  });

  it('leaves thinking out in a tool loop whose assistant message does not start with reasoning, keeps it otherwise', () => {
    const loop = (first: unknown[]) => ({
      reasoning: { budgetTokens: 2048 },
      messages: [
        hi,
        { role: 'assistant', content: [...first, { toolUse: { toolUseId: 't', name: 'n', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ text: 'r' }] } }] },
      ],
    });
    expect(build(loop([{ text: 'Calling.' }])).additionalModelRequestFields).toBeUndefined();
    expect(build(loop([{ reasoning: { text: 't', signature: 's' } }])).additionalModelRequestFields).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    expect(
      build({
        reasoning: { budgetTokens: 2048 },
        messages: [...loop([{ text: 'x' }]).messages, { role: 'assistant', content: [{ text: 'done' }] }, hi],
      }).additionalModelRequestFields,
    ).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
  });

  it('passes temperature, topP and stop sequences without thinking', () => {
    expect(build({ messages: [hi], inferenceConfig: { temperature: 0, topP: 0.9, stopSequences: ['END'] } }, nova).inferenceConfig).toEqual(
      { maxTokens: 4096, temperature: 0, topP: 0.9, stopSequences: ['END'] },
    );
  });

  it('places cache points after system, tools and the last message when asked and supported', () => {
    const out = build({ messages: [hi], system: 'sys', tools: [{ name: 'a', inputSchema: {} }], promptCache: true });
    expect(out.system).toEqual([{ text: 'sys' }, { cachePoint: { type: 'default' } }]);
    expect(out.toolConfig?.tools?.at(-1)).toEqual({ cachePoint: { type: 'default' } });
    expect(out.messages?.at(-1)?.content).toEqual([{ text: 'hi' }, { cachePoint: { type: 'default' } }]);
  });

  it('honours system cachePoint flags without promptCache, and never adds a second point after one', () => {
    const out = build({
      messages: [hi],
      system: [
        { text: 'a', cachePoint: true },
        { text: 'b', cachePoint: true },
      ],
      promptCache: true,
    });
    expect(out.system).toEqual([{ text: 'a' }, { cachePoint: { type: 'default' } }, { text: 'b' }, { cachePoint: { type: 'default' } }]);
    expect(build({ messages: [hi], system: [{ text: 'a', cachePoint: true }] }).system).toEqual([
      { text: 'a' },
      { cachePoint: { type: 'default' } },
    ]);
  });

  it('sends no cache point to a model that does not support caching', () => {
    const out = build(
      { messages: [hi], system: [{ text: 'a', cachePoint: true }], tools: [{ name: 'a', inputSchema: {} }], promptCache: true },
      nova,
    );
    expect(JSON.stringify(out)).not.toContain('cachePoint');
  });

  it('never puts a cache point directly after a reasoning block', () => {
    const out = build({
      messages: [hi, { role: 'assistant', content: [{ reasoning: { text: 't', signature: 's' } }] }],
      promptCache: true,
    });
    expect(out.messages?.at(-1)?.content).toEqual([{ reasoningContent: { reasoningText: { text: 't', signature: 's' } } }]);
  });

  it('decodes image, document and tool-result image bytes', () => {
    const out = build({
      messages: [
        {
          role: 'user',
          content: [
            { image: { format: 'png', data: 'AQID' } },
            { document: { format: 'pdf', name: 'Doc', data: 'BAU=' } },
            { document: { format: 'md', name: 'Notes', text: '# hi' } },
          ],
        },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'shot', input: {} } }] },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 't', content: [{ image: { format: 'jpeg', data: 'Bg==' } }], status: 'error' } }],
        },
      ],
    });
    expect(out.messages?.[0]?.content).toEqual([
      { image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } },
      { document: { format: 'pdf', name: 'Doc', source: { bytes: new Uint8Array([4, 5]) } } },
      { document: { format: 'md', name: 'Notes', source: { text: '# hi' } } },
    ]);
    expect(out.messages?.[2]?.content).toEqual([
      { toolResult: { toolUseId: 't', status: 'error', content: [{ image: { format: 'jpeg', source: { bytes: new Uint8Array([6]) } } }] } },
    ]);
  });

  it('rejects a bad defaultMaxTokens with a RangeError naming the option', () => {
    const request: TurnRequest = { messages: [{ role: 'user', content: [{ text: 'x' }] }] };
    expect(() => buildConverseRequest(request, claude, { defaultMaxTokens: 0 })).toThrow(/options\.defaultMaxTokens/);
  });

  it("sends the request's guardrailConfig, else the configured default; the request wins as a whole", () => {
    const configured = { guardrailIdentifier: 'cfg1', guardrailVersion: '3', trace: 'enabled' as const };
    const request: TurnRequest = { messages: [{ role: 'user', content: [{ text: 'x' }] }] };
    expect(buildConverseRequest(request, claude).guardrailConfig).toBeUndefined();
    expect(buildConverseRequest(request, claude, { guardrail: configured }).guardrailConfig).toEqual({
      guardrailIdentifier: 'cfg1',
      guardrailVersion: '3',
      trace: 'enabled',
    });
    const own = {
      ...request,
      guardrailConfig: { guardrailIdentifier: 'req1', guardrailVersion: 'DRAFT', streamProcessingMode: 'async' as const },
    };
    expect(buildConverseRequest(own, claude, { guardrail: configured }).guardrailConfig).toEqual({
      guardrailIdentifier: 'req1',
      guardrailVersion: 'DRAFT',
      streamProcessingMode: 'async',
    });
    expect(
      build({
        messages: [hi],
        guardrailConfig: { guardrailIdentifier: 'x1', guardrailVersion: '1', trace: 'enabled_full', streamProcessingMode: 'sync' },
      }).guardrailConfig,
    ).toEqual({ guardrailIdentifier: 'x1', guardrailVersion: '1', trace: 'enabled_full', streamProcessingMode: 'sync' });
  });

  it('rejects a malformed configured guardrail with a TypeError naming the field', () => {
    const request: TurnRequest = { messages: [{ role: 'user', content: [{ text: 'x' }] }] };
    const bad = { guardrailIdentifier: 'cfg1', guardrailVersion: 'latest' } as unknown as GuardrailConfig;
    expect(() => buildConverseRequest(request, claude, { guardrail: bad })).toThrow(/options\.guardrail\.guardrailVersion/);
  });
});

describe('planOutputTokens (what admission reserves before the request is built)', () => {
  it('with canThink: true never plans less maxTokens than the built call sends', () => {
    const loopWithoutReasoning = [
      { role: 'user', content: [{ text: 'Weather?' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: '21' }], status: 'success' } }] },
    ];
    const cases = [
      { messages: [hi] },
      { messages: [hi], reasoning: { effort: 'high' } },
      { messages: [hi], reasoning: { budgetTokens: 5000 }, inferenceConfig: { maxTokens: 3000 } },
      { messages: loopWithoutReasoning, reasoning: { effort: 'high' }, tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] },
    ];
    for (const raw of cases) {
      const parsed = parseTurnRequest(raw);
      if (!parsed.ok) throw parsed.error;
      for (const model of [claude, nova]) {
        expect(planOutputTokens(parsed.value, model, true).maxTokens).toBeGreaterThanOrEqual(
          build(raw, model).inferenceConfig?.maxTokens ?? 0,
        );
      }
    }
    // The tool-loop case is where the plan is larger (thinking is dropped there): 16384 + 4096 vs 4096.
    const loop = parseTurnRequest(cases[3]);
    if (!loop.ok) throw loop.error;
    expect(planOutputTokens(loop.value, claude, true).maxTokens).toBe(16_384 + 4096);
    expect(build(cases[3]).inferenceConfig?.maxTokens).toBe(4096);
  });
});
