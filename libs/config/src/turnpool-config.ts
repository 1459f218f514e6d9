/** Input modalities a Bedrock model accepts. */
export type ModelInput = 'text' | 'image' | 'document' | 'video';

/**
 * `models.bedrockDiscovery` (alias `plugins.entries["amazon-bedrock"].config.discovery`),
 * as the OpenClaw Bedrock provider page defines it.
 */
export interface BedrockDiscoveryConfig {
  /** Discover models. @defaultValue undefined = "when AWS credentials are present" */
  enabled?: boolean;
  /** Bedrock region. @defaultValue undefined = `AWS_REGION`, `AWS_DEFAULT_REGION`, profile region, `us-east-1` */
  region?: string;
  /** Bedrock provider names to keep (`anthropic`, `amazon`), case-insensitive. @defaultValue undefined = all */
  providerFilter?: string[];
  /** Catalog cache lifetime in seconds; 0 = no cache. @defaultValue 3600 */
  refreshInterval: number;
  /** Context window for discovered models whose limits are unknown. @defaultValue 32000 */
  defaultContextWindow: number;
  /** Output-token limit for discovered models whose limits are unknown. @defaultValue 4096 */
  defaultMaxTokens: number;
}

/** Prices in USD per million tokens. */
export interface ModelCost {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** One entry of `models.providers["amazon-bedrock"].models`. */
export interface ManualModelConfig {
  /** Bedrock model id or inference profile id, e.g. `anthropic.claude-opus-4-5-20251101-v1:0`. */
  id: string;
  name?: string;
  reasoning?: boolean;
  input?: ModelInput[];
  cost?: ModelCost;
  contextWindow?: number;
  maxTokens?: number;
}

/** `models.providers["amazon-bedrock"]`. */
export interface BedrockProviderConfig {
  /** Bedrock runtime endpoint; `TURNPOOL_BEDROCK_ENDPOINT` overrides it. @defaultValue the SDK's regional endpoint */
  baseUrl?: string;
  /** @defaultValue 'bedrock-converse-stream' (the only value allowed) */
  api: 'bedrock-converse-stream';
  /** @defaultValue 'aws-sdk' (the only value allowed) */
  auth: 'aws-sdk';
  /** @defaultValue [] */
  models: ManualModelConfig[];
}

/** The validated, defaulted configuration. `loadConfig` returns it deep-frozen. */
export interface TurnpoolConfig {
  models: {
    bedrockDiscovery: BedrockDiscoveryConfig;
    providers: { 'amazon-bedrock'?: BedrockProviderConfig };
  };
  agents: { defaults: { model: { /** `amazon-bedrock/<id>` */ primary?: string } } };
  plugins: { entries: { 'amazon-bedrock'?: { config?: { discovery?: Partial<BedrockDiscoveryConfig> } } } };
  redis: {
    /** @defaultValue undefined = the caller's default (redis://127.0.0.1:6379) */
    url?: string;
    /** @defaultValue 'turnpool' */
    keyPrefix: string;
  };
  queue: {
    /** @defaultValue 'turns' */
    name: string;
    /** @defaultValue 3 */
    attempts: number;
    /** @defaultValue 1000 */
    backoffMs: number;
    /** @defaultValue 10000 */
    lockDurationMs: number;
    /** @defaultValue 5000 */
    stalledIntervalMs: number;
  };
  pool: {
    /** @defaultValue 1 */
    minThreads: number;
    /** @defaultValue max(os.availableParallelism(), minThreads) */
    maxThreads: number;
    /** @defaultValue 64 */
    concurrentTasksPerWorker: number;
    /** @defaultValue maxThreads * concurrentTasksPerWorker */
    maxTurnsPerHost: number;
  };
  dispatcher: {
    /** @defaultValue '127.0.0.1' */
    host: string;
    /** @defaultValue 8787 */
    port: number;
    /** @defaultValue [] (no auth) */
    apiKeys: string[];
    /** @defaultValue 20 MiB */
    bodyLimitBytes: number;
  };
  streams: { /** @defaultValue 86400 */ ttlSeconds: number };
  retry: { /** @defaultValue false */ afterOutput: boolean };
  timeouts: {
    /** @defaultValue 60000 */
    firstChunkMs: number;
    /** @defaultValue 30000 */
    idleMs: number;
    /** @defaultValue 600000 */
    turnMs: number;
  };
  emulator: { /** @defaultValue 8788 */ port: number };
  catalog: {
    /** How long a model marked unavailable at run time (AccessDenied) stays refused, s. @defaultValue 300 */
    unavailableTtlSeconds: number;
  };
}
