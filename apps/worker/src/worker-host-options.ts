import type { QuotaBudget } from '@turnpool/quota';
import type { GuardrailConfig, Logger } from '@turnpool/protocol';
import type { WatchdogOptions } from './watchdog.ts';

export interface WorkerHostOptions {
  /** Redis for BullMQ, publishing and cancel messages. */
  redisUrl: string;
  /** @defaultValue sharedSettings.keyPrefix ('turnpool') — every key lives under the `{prefix}` hash tag. */
  keyPrefix?: string;
  /** @defaultValue sharedSettings.queueName ('turns') */
  queueName?: string;
  /**
   * Turns this host runs at once (BullMQ worker concurrency). A turn is I/O-bound, so one
   * host carries many. @defaultValue defaultMaxTurns(maxThreads, concurrentTasksPerWorker), as in the config
   */
  maxTurns?: number;
  /** piscina threads. @defaultValue min 1, max = defaultMaxThreads(minThreads) (available parallelism) */
  minThreads?: number;
  maxThreads?: number;
  /** Turns one thread runs at once. @defaultValue sharedSettings.concurrentTasksPerWorker (64) */
  concurrentTasksPerWorker?: number;
  /**
   * Run turns on the main thread instead of piscina threads (benchmarks compare both).
   * @defaultValue false
   */
  inline?: boolean;
  /**
   * BullMQ lock duration: a crashed host's turns become stalled after this.
   * @defaultValue sharedSettings.lockDurationMs (5000) — a crashed host's turns recover in seconds.
   */
  lockDurationMs?: number;
  /** How often hosts look for stalled turns. @defaultValue sharedSettings.stalledIntervalMs (2000) */
  stalledIntervalMs?: number;
  /** Stalls a turn survives before BullMQ fails it (it then ends with `turn-error` worker_lost). @defaultValue sharedSettings.maxStalledCount (2) */
  maxStalledCount?: number;
  /**
   * `close()` ends within this long, whatever state Redis is in: running turns may finish until
   * its last fifth (at most the last 5 s), then they are cancelled; what still waits at the end
   * is forced closed and `close()` rejects naming it. At least 1000.
   * @defaultValue sharedSettings.shutdownGraceMs (30000) — Kubernetes' default termination grace period.
   */
  shutdownGraceMs?: number;
  /** Stream TTL after the terminal event, seconds. @defaultValue sharedSettings.retentionSeconds (86400) */
  streamTtlSeconds?: number;
  /** Longest a turn's event batch waits for other turns' batches before one script call carries them all, ms. @defaultValue sharedSettings.eventLingerMs (2) */
  streamLingerMs?: number;
  /** How long an attempt keeps re-sending events Redis refuses (a Cluster failover, a restart) before it fails, ms; 0 = at once. @defaultValue sharedSettings.eventWriteRetryMs (30000) */
  streamWriteRetryMs?: number;
  /** A retryable failure after output was published is retried (with `turn-retry`). @defaultValue sharedSettings.retryAfterOutput (false) */
  retryAfterOutput?: boolean;
  /** Watchdogs; 0 disables one. @defaultValue sharedSettings.firstChunkMs / idleMs / turnMs (60 s, 30 s, 10 min) */
  timeouts?: Partial<WatchdogOptions>;
  /**
   * The Bedrock endpoint every thread's runtime client calls (the emulator, a proxy): the one way
   * to point the host somewhere else without touching `process.env`.
   * @defaultValue `env.TURNPOOL_BEDROCK_ENDPOINT`, else the SDK's regional endpoint
   */
  bedrockEndpoint?: string;
  /**
   * Where the host and its threads read AWS credentials and the region from (each thread gets it
   * as its environment). A caller that runs against the emulator passes a copy with the
   * emulator's token instead of writing it into `process.env`. @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
  /**
   * The Bedrock guardrail of every turn whose request sets no `guardrailConfig` (config:
   * `plugins.entries["amazon-bedrock"].config.guardrail`); a request's own replaces it.
   * @defaultValue none
   */
  guardrail?: GuardrailConfig;
  /** Fallback region when a job's model carries none (the dispatcher always sets one). @defaultValue AWS_REGION, AWS_DEFAULT_REGION, profile, us-east-1 */
  region?: string;
  /** Shown in `turn-start`; the host's id in its heartbeat and in its turns' records (`GET /v1/hosts`, `GET /v1/turns`). @defaultValue `<hostname>:<pid>` */
  workerId?: string;
  /** How often the host writes its heartbeat, ms. @defaultValue sharedSettings.heartbeatMs (5000) */
  heartbeatMs?: number;
  /** The heartbeat's lifetime after a beat, ms: a killed host leaves `GET /v1/hosts` this long after its last beat. @defaultValue sharedSettings.heartbeatTtlMs (16000) */
  heartbeatTtlMs?: number;
  logger?: Logger;
  /** Fleet-wide admission (config `bedrock.admission`); `enabled: false` calls Bedrock at once, as before. @defaultValue sharedSettings admissionEnabled / maxWaitMs / leaseTtlMs */
  admission?: { enabled?: boolean; maxWaitMs?: number; leaseTtlMs?: number };
  /**
   * HTTP/2 connections of each thread's runtime client (config `bedrock.connections`): `sessionReuse`
   * lets ConverseStream calls share pooled sessions (at most `streamsPerSession` open streams each)
   * instead of a TLS connection per call. @defaultValue sharedSettings bedrockSessionReuse (true) / bedrockStreamsPerSession (32)
   */
  connections?: { sessionReuse?: boolean; streamsPerSession?: number };
  /** Account quotas by model id, profile id or model ref (config `bedrock.quotas`). @defaultValue {} (learned from throttles) */
  quotas?: Record<string, QuotaBudget>;
  /**
   * The shared catalog: a model that answers AccessDenied at run time is marked unavailable
   * there, so dispatchers refuse it up front until the mark expires (catalog.unavailableTtlSeconds)
   * or the next refresh. @defaultValue none
   */
  catalog?: { markUnavailable(modelId: string, reason: string): Promise<void> };
}

/** Options with every default applied; plain data (it is handed to threads). */
export type ResolvedWorkerHostOptions = Required<
  Omit<
    WorkerHostOptions,
    'logger' | 'env' | 'bedrockEndpoint' | 'region' | 'timeouts' | 'catalog' | 'admission' | 'guardrail' | 'connections'
  >
> & {
  admission: { enabled: boolean; maxWaitMs: number; leaseTtlMs: number };
  connections: { sessionReuse: boolean; streamsPerSession: number };
  bedrockEndpoint: string | undefined;
  guardrail: GuardrailConfig | undefined;
  region: string | undefined;
  timeouts: WatchdogOptions;
};
