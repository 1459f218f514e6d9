import type { Directives } from './directives.ts';

/** One content block of the planned answer, in output order. */
export type PlannedBlock =
  | { type: 'reasoning'; tokens: string[]; text: string; signature: string }
  | { type: 'redacted-reasoning'; data: string /* base64 */ }
  | { type: 'text'; tokens: string[]; text: string }
  | { type: 'tool-use'; toolUseId: string; name: string; input: unknown; inputJson: string };

export interface PlannedUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

/** The deterministic answer the emulator sends for a request (see {@link planResponse}). */
export interface ResponsePlan {
  blocks: PlannedBlock[];
  stopReason: string;
  usage: PlannedUsage;
  /** `metadata.trace` (stream) / `trace` (Converse): the guardrail trace when the request's guardrail has trace on. */
  trace?: { guardrail: Record<string, unknown> };
  /** Pacing after directives: ms before the first content delta, tokens per second (0 = unlimited), tokens per delta. */
  pacing: { ttftMs: number; tokensPerSecond: number; tokensPerChunk: number };
  /** The parsed directives (faults included). */
  directives: Directives;
}

/** The Converse request body as JSON (the fields the emulator reads; everything else passes). */
export interface ConverseRequestJson {
  messages?: unknown;
  system?: unknown;
  inferenceConfig?: unknown;
  toolConfig?: unknown;
  additionalModelRequestFields?: unknown;
  guardrailConfig?: unknown;
  [member: string]: unknown;
}
