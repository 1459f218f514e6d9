import type { ModelInput } from '@turnpool/protocol';

/** What turnpool knows about a model family that Bedrock's API does not report. */
export interface KnownLimits {
  contextWindow: number;
  maxTokens: number;
  reasoning: boolean;
  supportsPromptCache: boolean;
  /**
   * Converse accepts `document` blocks for this family ("Document chat" in the Converse API's
   * supported-models table). Bedrock's `inputModalities` never lists documents, so this table
   * is the only source; a family not in the table is let through (Bedrock decides).
   */
  documents: boolean;
}

/**
 * Limits of well-known families (Bedrock reports no token limits, and a 32k default makes
 * agents compact in a loop). First match wins, so specific patterns come before
 * general ones. Patterns match the foundation model id (profile prefixes are stripped first).
 * `maxTokens` is the model's output ceiling on Bedrock; callers pick their own per-turn value.
 * Sources: the Bedrock model cards / provider docs as of 2025-2026; `documents` from the Converse
 * API's "Supported models and model features" table (document chat: every Claude, Nova Premier /
 * Pro / Lite, Titan Text except Premier, Llama, Mistral, Command R, DeepSeek-R1; not Nova Micro
 * nor Titan Text Premier).
 */
export const knownLimits: readonly { pattern: RegExp; family: string; limits: KnownLimits }[] = [
  // Anthropic Claude 4.x / 4.5: 200k context (1M is a beta opt-in), reasoning, prompt caching.
  { pattern: /^anthropic\.claude-opus-4-5/, family: 'Claude Opus 4.5', limits: l(200_000, 64_000, true, true, true) },
  { pattern: /^anthropic\.claude-(sonnet|haiku)-4-5/, family: 'Claude Sonnet/Haiku 4.5', limits: l(200_000, 64_000, true, true, true) },
  { pattern: /^anthropic\.claude-opus-4/, family: 'Claude Opus 4 / 4.1', limits: l(200_000, 32_000, true, true, true) },
  { pattern: /^anthropic\.claude-sonnet-4/, family: 'Claude Sonnet 4', limits: l(200_000, 64_000, true, true, true) },
  { pattern: /^anthropic\.claude-3-7-sonnet/, family: 'Claude 3.7 Sonnet', limits: l(200_000, 64_000, true, true, true) },
  { pattern: /^anthropic\.claude-3-5-haiku/, family: 'Claude 3.5 Haiku', limits: l(200_000, 8_192, false, true, true) },
  { pattern: /^anthropic\.claude-3-5-sonnet/, family: 'Claude 3.5 Sonnet', limits: l(200_000, 8_192, false, false, true) },
  { pattern: /^anthropic\.claude-3-(haiku|sonnet|opus)/, family: 'Claude 3', limits: l(200_000, 4_096, false, false, true) },
  { pattern: /^anthropic\.claude-v2/, family: 'Claude 2', limits: l(200_000, 4_096, false, false, true) },
  { pattern: /^anthropic\.claude-instant/, family: 'Claude Instant', limits: l(100_000, 4_096, false, false, true) },
  // Amazon Nova / Titan text.
  { pattern: /^amazon\.nova-premier/, family: 'Nova Premier', limits: l(1_000_000, 32_000, false, false, true) },
  { pattern: /^amazon\.nova-(pro|lite)/, family: 'Nova Pro / Lite', limits: l(300_000, 5_000, false, true, true) },
  { pattern: /^amazon\.nova-micro/, family: 'Nova Micro', limits: l(128_000, 5_000, false, true, false) },
  { pattern: /^amazon\.titan-text-premier/, family: 'Titan Text Premier', limits: l(32_000, 3_072, false, false, false) },
  { pattern: /^amazon\.titan-text-express/, family: 'Titan Text Express', limits: l(8_192, 8_192, false, false, true) },
  { pattern: /^amazon\.titan-text-lite/, family: 'Titan Text Lite', limits: l(4_096, 4_096, false, false, true) },
  // Meta Llama 3.x (Bedrock caps generation at 2048 tokens).
  { pattern: /^meta\.llama3-[123]-/, family: 'Llama 3.1 / 3.2 / 3.3', limits: l(128_000, 2_048, false, false, true) },
  { pattern: /^meta\.llama3-/, family: 'Llama 3', limits: l(8_192, 2_048, false, false, true) },
  // Mistral.
  { pattern: /^mistral\.mistral-large-2407/, family: 'Mistral Large 2', limits: l(128_000, 8_192, false, false, true) },
  { pattern: /^mistral\.mistral-large/, family: 'Mistral Large', limits: l(32_000, 8_192, false, false, true) },
  { pattern: /^mistral\.mistral-small/, family: 'Mistral Small', limits: l(32_000, 8_192, false, false, true) },
  { pattern: /^mistral\.mixtral-8x7b/, family: 'Mixtral 8x7B', limits: l(32_000, 4_096, false, false, true) },
  { pattern: /^mistral\.mistral-7b/, family: 'Mistral 7B', limits: l(32_000, 8_192, false, false, true) },
  // Cohere Command R / R+.
  { pattern: /^cohere\.command-r/, family: 'Command R / R+', limits: l(128_000, 4_096, false, false, true) },
  // DeepSeek R1: reasoning.
  { pattern: /^deepseek\.r1/, family: 'DeepSeek-R1', limits: l(128_000, 32_768, true, false, true) },
];

function l(contextWindow: number, maxTokens: number, reasoning: boolean, supportsPromptCache: boolean, documents: boolean): KnownLimits {
  return { contextWindow, maxTokens, reasoning, supportsPromptCache, documents };
}

/** The known limits for a foundation model id (or a profile id: its geography prefix is ignored). */
export function lookupKnownLimits(modelId: string): (KnownLimits & { family: string }) | undefined {
  const base = stripProfilePrefix(modelId);
  const hit = knownLimits.find((k) => k.pattern.test(base));
  return hit ? { ...hit.limits, family: hit.family } : undefined;
}

/**
 * Whether turnpool lets `document` blocks through to `modelId`: yes when its family accepts
 * them, yes when the family is unknown (permissive: Bedrock answers, and a refusal becomes an
 * `unsupported_input` turn error that says so), no only for a known family without documents.
 */
export function acceptsDocuments(modelId: string): boolean {
  return lookupKnownLimits(modelId)?.documents ?? true;
}

/**
 * `input` plus `document` when `acceptsDocuments(modelId)`. Bedrock's modalities and OpenClaw's
 * `input` (text, image) have no word for documents, so they come from the family rule.
 */
export function withDocumentInput(input: readonly ModelInput[], modelId: string): ModelInput[] {
  return input.includes('document') || !acceptsDocuments(modelId) ? [...input] : [...input, 'document'];
}

/** `us.anthropic.claude…` -> `anthropic.claude…`; ids without a geography prefix are returned as-is. */
export function stripProfilePrefix(id: string): string {
  return /^(us|eu|apac|jp|au|ca|us-gov|global)\./.test(id) ? id.slice(id.indexOf('.') + 1) : id;
}
