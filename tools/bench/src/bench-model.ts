import type { ResolvedModel } from '@turnpool/protocol';

/** The model every scenario uses (the emulator knows it). */
export const benchModel: ResolvedModel = {
  ref: 'amazon-bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0',
  modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  baseModelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text', 'image'],
  supportsPromptCache: true,
  cost: { input: 3, output: 15 },
};

const entry = {
  id: benchModel.modelId, name: 'Claude Sonnet 4 (bench)', provider: 'Anthropic', contextWindow: benchModel.contextWindow,
  maxTokens: benchModel.maxTokens, reasoning: true, input: ['text', 'image'] as ('text' | 'image')[], available: true,
  baseModelId: benchModel.baseModelId, supportsPromptCache: true, streaming: true, limitsKnown: true, source: 'discovered',
  cost: { input: 3, output: 15 },
};

/** A fixed in-memory catalog with the bench model (no discovery traffic during measurements). */
export const benchCatalog = {
  list: async () => ({ entries: [entry], stale: false, fetchedAt: Date.now() }),
};

/** A turn request whose last user message carries emulator directives. */
export function benchRequest(directives: string): { model: string; messages: { role: 'user'; content: { text: string }[] }[] } {
  return { model: benchModel.ref, messages: [{ role: 'user', content: [{ text: `bench ${directives}` }] }] };
}

/** The same message as a direct ConverseStream input. */
export function directInput(directives: string): { modelId: string; messages: { role: 'user'; content: { text: string }[] }[] } {
  return { modelId: benchModel.modelId, messages: [{ role: 'user', content: [{ text: `bench ${directives}` }] }] };
}

/** Emulator directives for a paced text answer. */
export function pace(o: { tokens: number; ttftMs: number; tokensPerSecond: number; tokensPerChunk: number }): string {
  return `[[tokens ${o.tokens}]] [[ttft-ms ${o.ttftMs}]] [[tokens-per-second ${o.tokensPerSecond}]] [[tokens-per-chunk ${o.tokensPerChunk}]]`;
}
