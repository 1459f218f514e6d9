/** Input kinds a model accepts, lower-case as in the OpenClaw config (`input: ["text", "image"]`). */
export type InputModality = 'text' | 'image' | 'document' | 'video';

/** Prices in USD per million tokens (configured; Bedrock does not report them). */
export interface ModelCost { input: number; output: number; cacheRead?: number; cacheWrite?: number }

/** One model a turn can name. `id` is what to call: the model id, or an inference profile id. */
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
  input: InputModality[];
  /** Configured prices; absent = unknown (never 0 by default, field note 14). */
  cost?: ModelCost;
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
  /** Converse cache points are accepted (field note 12). */
  supportsPromptCache: boolean;
  /** Always true for discovered entries (non-streaming models are filtered out). */
  streaming: boolean;
  /** Bedrock lifecycle status of the base model (`ACTIVE`, `LEGACY`); absent for configured-only models. */
  lifecycle?: string;
}

/** A run-time mark on a model (`Catalog.marks()`). */
export interface UnavailableMark {
  modelId: string;
  reason: string;
  /** When the mark expires (ms since epoch). */
  until: number;
}

/** A model discovery left out, and why (`turnpool models list --all`). */
export interface FilteredModel { id: string; name: string; provider: string; reason: string }

export interface CatalogSnapshot {
  entries: CatalogEntry[];
  /** Present when asked for with `includeFiltered`. */
  filtered?: FilteredModel[];
  /** When Bedrock was asked (ms since epoch). */
  fetchedAt: number;
  /** True when the copy is past its refresh interval (served while a refresh runs or fails). */
  stale: boolean;
  /** Something a person should know: profiles skipped for lack of permission, a failed refresh. */
  warning?: string;
}

export interface Catalog {
  list(opts?: { includeFiltered?: boolean }): Promise<CatalogSnapshot>;
  get(modelId: string): Promise<CatalogEntry | undefined>;
  /** Asks Bedrock now (single-flight across processes) and rewrites the shared copy. */
  refresh(): Promise<CatalogSnapshot>;
  /**
   * Marks a model unavailable for every process for `unavailableTtlSeconds` (or until the next
   * refresh, whichever comes first). Marking it again restarts the period.
   */
  markUnavailable(modelId: string, reason: string): Promise<void>;
  /** The models marked unavailable right now, read from Redis (expired marks left out). */
  marks(): Promise<UnavailableMark[]>;
  /** Resolves when no background refresh started by this instance is running. */
  idle(): Promise<void>;
}

/** `models.bedrockDiscovery` (the OpenClaw keys). Defaults apply to missing fields. */
export interface DiscoverySettings {
  /** @defaultValue undefined = on when AWS credentials are present */
  enabled?: boolean;
  region?: string;
  /** Bedrock provider names to keep, case-insensitive (`["anthropic", "amazon"]`). @defaultValue all */
  providerFilter?: string[];
  /** Seconds a fetched catalog stays fresh; 0 = no cache, every read asks Bedrock. @defaultValue 3600 */
  refreshInterval?: number;
  /** For models the known-limits table does not cover. @defaultValue 32000 */
  defaultContextWindow?: number;
  /** For models the known-limits table does not cover. @defaultValue 4096 */
  defaultMaxTokens?: number;
}

/** One entry of `models.providers['amazon-bedrock'].models`. */
export interface ManualModelConfig {
  id: string;
  name?: string;
  reasoning?: boolean;
  input?: InputModality[];
  cost?: ModelCost;
  contextWindow?: number;
  maxTokens?: number;
}

/** `models.providers['amazon-bedrock']` (only the part discovery reads). */
export interface ProviderSettings { baseUrl?: string; models?: readonly ManualModelConfig[] }
