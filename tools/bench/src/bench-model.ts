import type { CatalogEntry, ResolvedModel } from '@turnpool/protocol';

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

const haikuBase = {
  baseModelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: false,
  input: ['text', 'image'] as ResolvedModel['input'],
  supportsPromptCache: false,
  cost: { input: 1, output: 5 },
};

/** The model the fleet-quota scenario puts a quota on (the emulator knows it). */
export const quotaModel: ResolvedModel = {
  ...haikuBase,
  ref: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
};

/** Its global cross-region profile: the same model on a separate budget (the natural first fallback). */
export const quotaFallbackModel: ResolvedModel = {
  ...haikuBase,
  ref: 'amazon-bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0',
  modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
};

/** Resolves the bench's model refs (the quota models, else the bench model), like a catalog would. */
export async function resolveBenchModel(ref: string | undefined): Promise<ResolvedModel> {
  return [quotaModel, quotaFallbackModel].find((m) => m.ref === ref) ?? benchModel;
}

const entry: CatalogEntry = {
  id: benchModel.modelId,
  name: 'Claude Sonnet 4 (bench)',
  provider: 'Anthropic',
  contextWindow: benchModel.contextWindow,
  maxTokens: benchModel.maxTokens,
  reasoning: true,
  input: ['text', 'image'],
  available: true,
  baseModelId: benchModel.baseModelId,
  supportsPromptCache: true,
  streaming: true,
  limitsKnown: true,
  source: 'discovered',
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
