import type { GuardrailConfig, ModelInput, ModelPrices } from '@turnpool/protocol';

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

/**
 * One entry of `bedrock.quotas`: what an account may spend on one quota key (a model or inference
 * profile in one region), as Bedrock counts it: requests and tokens per minute, tokens per day.
 * Absent = not configured: the key is then bounded only by what the fleet learns from throttles.
 * libs/quota's admission takes it as is.
 */
export interface QuotaBudget {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens per minute: input (incl. cache reads/writes) + output × `outputBurndown`. */
  tpm?: number;
  /** Tokens per day, counted like `tpm`. Bedrock's default is tpm × 1440. */
  tokensPerDay?: number;
  /** Weight of an output token against the quota (Bedrock burns some models' output faster). @defaultValue 1 */
  outputBurndown?: number;
}

/** One entry of `models.providers["amazon-bedrock"].models`. */
export interface ManualModelConfig {
  /** Bedrock model id or inference profile id, e.g. `anthropic.claude-opus-4-5-20251101-v1:0`. */
  id: string;
  name?: string;
  reasoning?: boolean;
  input?: ModelInput[];
  cost?: ModelPrices;
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
  agents: {
    defaults: {
      model: {
        /** `amazon-bedrock/<id>` */
        primary?: string;
        /** Model refs tried in order when the primary cannot be admitted in time, is throttled or unavailable. @defaultValue [] */
        fallbacks: string[];
      };
    };
  };
  plugins: {
    entries: {
      'amazon-bedrock'?: {
        config?: {
          discovery?: Partial<BedrockDiscoveryConfig>;
          /** The Bedrock guardrail of every turn whose request sets no `guardrailConfig` (OpenClaw's key). @defaultValue none */
          guardrail?: GuardrailConfig;
        };
      };
    };
  };
  // Defaults of the sections below: `sharedSettings` (shared-settings.ts) holds each one with its reason.
  redis: {
    /** @defaultValue undefined = the caller's default (redis://127.0.0.1:6379) */
    url?: string;
    /** @defaultValue sharedSettings.keyPrefix ('turnpool') */
    keyPrefix: string;
  };
  queue: {
    /** @defaultValue sharedSettings.queueName ('turns') */
    name: string;
    /** @defaultValue sharedSettings.attempts (3) */
    attempts: number;
    /** @defaultValue sharedSettings.backoffMs (1000) */
    backoffMs: number;
    /** @defaultValue sharedSettings.lockDurationMs (5000) */
    lockDurationMs: number;
    /** @defaultValue sharedSettings.stalledIntervalMs (2000) */
    stalledIntervalMs: number;
    /** @defaultValue sharedSettings.maxStalledCount (2) */
    maxStalledCount: number;
  };
  pool: {
    /** @defaultValue sharedSettings.minThreads (1) */
    minThreads: number;
    /** @defaultValue defaultMaxThreads(minThreads) = max(os.availableParallelism(), minThreads) */
    maxThreads: number;
    /** @defaultValue sharedSettings.concurrentTasksPerWorker (64) */
    concurrentTasksPerWorker: number;
    /** @defaultValue defaultMaxTurns(maxThreads, concurrentTasksPerWorker) = their product */
    maxTurnsPerHost: number;
    /** How often each worker host writes its heartbeat (`GET /v1/hosts`), ms. @defaultValue sharedSettings.heartbeatMs (5000) */
    heartbeatMs: number;
    /** A host's heartbeat lives this long after its last beat, ms (above heartbeatMs). @defaultValue sharedSettings.heartbeatTtlMs (16000) */
    heartbeatTtlMs: number;
  };
  dispatcher: {
    /** @defaultValue sharedSettings.dispatcherHost ('127.0.0.1') */
    host: string;
    /** @defaultValue sharedSettings.dispatcherPort (8787) */
    port: number;
    /** @defaultValue [] (no auth) */
    apiKeys: string[];
    /** Keys that may read (GET) but not submit or cancel turns (403 `forbidden`). @defaultValue [] */
    readOnlyApiKeys: string[];
    /** Turns the recent-turns index (`GET /v1/turns`) keeps at most. @defaultValue sharedSettings.turnIndexMax (100000) */
    turnIndexMax: number;
    /** @defaultValue sharedSettings.bodyLimitBytes (21 MiB) */
    bodyLimitBytes: number;
    /** Model names clients send (`gpt-4o`) → model refs (`amazon-bedrock/<id>`). @defaultValue {} */
    modelAliases: Record<string, string>;
  };
  streams: {
    /** @defaultValue sharedSettings.retentionSeconds (86400) */
    ttlSeconds: number;
    /** Longest a worker thread holds a turn's events to send them with other turns' in one script call, ms (the bound batching adds to a chunk's latency). @defaultValue sharedSettings.eventLingerMs (2) */
    lingerMs: number;
    /** How long an attempt keeps re-sending events Redis refuses (a Cluster failover, a restart) before it fails, ms; 0 = at once. @defaultValue sharedSettings.eventWriteRetryMs (30000) */
    writeRetryMs: number;
  };
  retry: { /** @defaultValue sharedSettings.retryAfterOutput (false) */ afterOutput: boolean };
  timeouts: {
    /** 0 = off. @defaultValue sharedSettings.firstChunkMs (60000) */
    firstChunkMs: number;
    /** 0 = off. @defaultValue sharedSettings.idleMs (30000) */
    idleMs: number;
    /** 0 = off. @defaultValue sharedSettings.turnMs (600000) */
    turnMs: number;
  };
  emulator: { /** @defaultValue sharedSettings.emulatorPort (8788) */ port: number };
  shutdown: {
    /**
     * SIGINT/SIGTERM: the stop ends within this long. Running turns may finish until shortly
     * before its end, then are cancelled; whatever still waits (on an unreachable Redis) at its
     * end is given up. @defaultValue sharedSettings.shutdownGraceMs (30000) — Kubernetes' default terminationGracePeriodSeconds.
     */
    graceMs: number;
  };
  bedrock: {
    /** Account quotas by model id, profile id or model ref (per region). @defaultValue {} (learned from throttles) */
    quotas: Record<string, QuotaBudget>;
    admission: {
      /** Admit calls against the shared budget before calling Bedrock. @defaultValue sharedSettings.admissionEnabled (true) */
      enabled: boolean;
      /** How long a turn may wait for admission before it falls back or fails with rate_limited. @defaultValue sharedSettings.maxWaitMs (120000) */
      maxWaitMs: number;
      /** An admitted call's lease; a crashed host's reservations expire after it. @defaultValue sharedSettings.leaseTtlMs (60000) */
      leaseTtlMs: number;
    };
    /** HTTP/2 connections of each worker thread's runtime client (docs/models.md, connections). */
    connections: {
      /** ConverseStream calls share pooled HTTP/2 sessions. @defaultValue sharedSettings.bedrockSessionReuse (true) */
      sessionReuse: boolean;
      /** Open streams per shared session before another opens. @defaultValue sharedSettings.bedrockStreamsPerSession (32) */
      streamsPerSession: number;
    };
  };
  catalog: {
    /** How long a model marked unavailable at run time (AccessDenied) stays refused, s. @defaultValue sharedSettings.unavailableTtlSeconds (300) */
    unavailableTtlSeconds: number;
  };
}
