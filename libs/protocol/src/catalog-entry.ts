import type { ModelInput } from './model-input.ts';
import type { ModelPrices } from './model-prices.ts';

/**
 * One model a turn can name, as the shared catalog (libs/discovery) stores it and the
 * dispatcher resolves refs against it. `id` is what to call: the model id, or an inference
 * profile id.
 */
export interface CatalogEntry {
  /** What to pass as ConverseStream `modelId`: a foundation model id or an inference profile id. */
  id: string;
  name: string;
  /** Bedrock provider name as reported (`Anthropic`, `Amazon`, `Mistral AI`, …). */
  provider: string;
  contextWindow: number;
  maxTokens: number;
  /** The model can produce reasoning (extended thinking). */
  reasoning: boolean;
  input: ModelInput[];
  /**
   * Configured prices; absent = unknown, never 0 by default: Bedrock reports no prices, and a
   * cost of 0 for a discovered model or an inference profile would be wrong.
   */
  cost?: ModelPrices;
  /** True when contextWindow / maxTokens come from the known-limits table or config, false when defaulted. */
  limitsKnown: boolean;
  /** False once `markUnavailable` was called (e.g. AccessDenied at invoke), until the mark expires or the next refresh. */
  available: boolean;
  unavailableReason?: string;
  /** When the mark expires (ms since epoch); set with `available: false`. */
  unavailableUntil?: number;
  source: 'discovered' | 'configured';
  /** The foundation model behind `id` (equal to `id` when no profile is involved). */
  baseModelId: string;
  /** Set when `id` is an inference profile. */
  profile?: { id: string; arn: string; name: string; geography: string };
  /**
   * Converse cache points are accepted. Models that do not support them reject a request that
   * carries one, so cache points are sent only where this is true.
   */
  supportsPromptCache: boolean;
  /** Always true for discovered entries (non-streaming models are filtered out). */
  streaming: boolean;
  /** Bedrock lifecycle status of the base model (`ACTIVE`, `LEGACY`); absent for configured-only models. */
  lifecycle?: string;
}
