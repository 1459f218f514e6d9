import type { WatchdogOptions } from './watchdog.ts';

/** A pino-compatible logger (pino itself fits). */
export interface HostLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WorkerHostOptions {
  /** Redis for BullMQ, publishing and cancel messages. */
  redisUrl: string;
  /** @defaultValue 'turnpool' — every key lives under the `{turnpool}` hash tag. */
  keyPrefix?: string;
  /** @defaultValue 'turns' */
  queueName?: string;
  /**
   * Turns this host runs at once (BullMQ worker concurrency). A turn is I/O-bound, so one
   * host carries many. @defaultValue 256
   */
  maxTurns?: number;
  /** piscina threads. @defaultValue min 1, max = available parallelism */
  minThreads?: number;
  maxThreads?: number;
  /** Turns one thread runs at once. @defaultValue 64 */
  concurrentTasksPerWorker?: number;
  /**
   * Run turns on the main thread instead of piscina threads (benchmarks compare both).
   * @defaultValue false
   */
  inline?: boolean;
  /**
   * BullMQ lock duration: a crashed host's turns become stalled after this.
   * @defaultValue 5000 — a crashed host's turns recover in seconds; the main thread only coordinates, so it renews on time.
   */
  lockDurationMs?: number;
  /** How often hosts look for stalled turns. @defaultValue 2000 */
  stalledIntervalMs?: number;
  /** Stalls a turn survives before BullMQ fails it (it then ends with `turn-error` worker_lost). @defaultValue 2 */
  maxStalledCount?: number;
  /** SIGTERM: how long running turns may take to finish before they are cancelled. @defaultValue 30000 */
  shutdownGraceMs?: number;
  /** Stream TTL after the terminal event, seconds. @defaultValue 86400 */
  streamTtlSeconds?: number;
  /** A retryable failure after output was published is retried (with `turn-retry`). @defaultValue false */
  retryAfterOutput?: boolean;
  /** Watchdogs; 0 disables one. @defaultValue first chunk 60 s, idle 30 s, turn 10 min */
  timeouts?: Partial<WatchdogOptions>;
  /** Bedrock endpoint override (the emulator). @defaultValue TURNPOOL_BEDROCK_ENDPOINT or AWS */
  bedrockEndpoint?: string;
  /** Fallback region when a job's model carries none (the dispatcher always sets one). @defaultValue AWS_REGION, AWS_DEFAULT_REGION, profile, us-east-1 */
  region?: string;
  /** Shown in `turn-start`. @defaultValue `<hostname>:<pid>` */
  workerId?: string;
  logger?: HostLogger;
  /**
   * The shared catalog: a model that answers AccessDenied at run time is marked unavailable
   * there, so dispatchers refuse it up front until the mark expires (catalog.unavailableTtlSeconds)
   * or the next refresh. @defaultValue none
   */
  catalog?: { markUnavailable(modelId: string, reason: string): Promise<void> };
}

/** Options with every default applied; plain data (it is handed to threads). */
export type ResolvedWorkerHostOptions = Required<Omit<WorkerHostOptions, 'logger' | 'bedrockEndpoint' | 'region' | 'timeouts' | 'catalog'>> & {
  bedrockEndpoint: string | undefined;
  region: string | undefined;
  timeouts: WatchdogOptions;
};
