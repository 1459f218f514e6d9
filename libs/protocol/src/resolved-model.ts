import type { ModelInput } from './model-input.ts';
import type { ModelPrices } from './model-prices.ts';

/** A model ref resolved against the catalog by the dispatcher; travels in the job data. */
export interface ResolvedModel {
  /** The ref as requested or defaulted (`amazon-bedrock/<id>` or an alias). */
  ref: string;
  /** What to call Bedrock with: a model id or an inference profile id. */
  modelId: string;
  /** The foundation model behind it (same as `modelId` when no profile is involved). */
  baseModelId: string;
  /** Provider name, lowercase (`anthropic`, `amazon`, `meta`…). */
  provider: string;
  /** AWS region to call. */
  region: string;
  /** Context window in tokens. */
  contextWindow: number;
  /** Most output tokens the model can produce. */
  maxTokens: number;
  /** Whether the model supports extended thinking. */
  reasoning: boolean;
  /** Accepted inputs. */
  input: ModelInput[];
  /** Whether prompt-cache points may be sent. */
  supportsPromptCache: boolean;
  /** Configured prices; absent = unknown (cost reported as null). */
  cost?: ModelPrices;
}
