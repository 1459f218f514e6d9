import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { intSchema, portSchema } from './schema-helpers.ts';

/** A watchdog period: 0 turns it off; otherwise at least 100 ms (a shorter one only fires by mistake). */
function watchdogMs(max: number) {
  return z
    .int()
    .min(0)
    .max(max)
    .refine((v) => v === 0 || v >= 100, { message: 'below 100 ms' })
    .describe(`milliseconds, 0 (off) or an integer from 100 to ${max}`);
}

/**
 * Options that more than one layer reads (the config file, the worker host, the turn client,
 * the dispatcher, discovery). Each one is declared here once — its rule, its default and why —
 * and every layer takes it from here: the config schema builds its sections from these rules,
 * and a library used directly (a gateway embedding the turn client, a test starting a worker
 * host) checks its options with the same rules through `resolveSetting`. Before, the key prefix
 * rule lived in five places and a prefix the config accepted (`acme.prod`) was refused by the
 * worker alone, so a fleet took turns no worker could run.
 */
export const sharedSettings = freezeSettings({
  /**
   * Every key lives under the `{prefix}` hash tag, so a turn's keys share one Redis Cluster slot;
   * braces are refused (they would break the tag), and so is anything that is unsafe in a key.
   */
  keyPrefix: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
      .describe('1-64 characters from A-Z a-z 0-9 _ . : -'),
    default: 'turnpool',
  },
  /** The BullMQ queue the dispatcher fills and the worker hosts drain. */
  queueName: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .describe('1-64 characters from A-Z a-z 0-9 _ . -'),
    default: 'turns',
  },
  /** BullMQ attempts per turn, the first included: two retries ride out a throttle or a lost host. */
  attempts: { schema: intSchema(1, 100, 'attempts per turn'), default: 3 },
  /** Base of the exponential, jittered backoff between attempts. */
  backoffMs: { schema: intSchema(0, 3_600_000, 'milliseconds'), default: 1000 },
  /**
   * BullMQ lock: a crashed host's turns become stalled after this. Short, so a crash costs seconds;
   * the host's main thread only coordinates, so it renews on time.
   */
  lockDurationMs: { schema: intSchema(1000, 600_000, 'milliseconds'), default: 5000 },
  /** How often hosts look for stalled turns (half the lock: a crash is seen within ~1.5 locks). */
  stalledIntervalMs: { schema: intSchema(100, 600_000, 'milliseconds'), default: 2000 },
  /** Stalls a turn survives before BullMQ fails it (`turn-error` worker_lost): a crash loop ends. */
  maxStalledCount: { schema: intSchema(0, 1000, 'stalls'), default: 2 },
  /**
   * A stop (SIGTERM, `close()`) ends within this long whatever state Redis is in: running turns may
   * finish until its last fifth, then are cancelled. 30 s is Kubernetes' default termination grace period.
   */
  shutdownGraceMs: { schema: intSchema(1000, 3_600_000, 'milliseconds'), default: 30_000 },
  /** A turn's event stream, record and finished job are kept this long after it ends (replay, getTurn). */
  retentionSeconds: { schema: intSchema(1, 31_536_000, 'seconds'), default: 86_400 },
  /**
   * Longest a turn event waits in the worker thread for other turns' events before their batches
   * go to Redis together in one script call (one EVALSHA instead of one per turn). It bounds the
   * latency the batching adds to every chunk; 0 batches only what is written in the same tick.
   */
  eventLingerMs: { schema: intSchema(0, 100, 'milliseconds'), default: 2 },
  /** A lingering script call leaves at once when its events hold this many bytes of JSON. */
  eventLingerBytes: { schema: intSchema(1024, 16 * 1024 * 1024, 'bytes'), default: 64 * 1024 },
  /**
   * How long a turn's attempt keeps sending its queued events again while Redis refuses them (a
   * Redis Cluster master failing over to its replica, a restart) before the attempt fails. The
   * default covers an election with Redis Cluster's default cluster-node-timeout (15 s) plus
   * the promotion; a re-sent batch is fenced by seq, so it lands once. 0 = fail at the first
   * refused write. Events queue in the worker meanwhile (bounded by the turn's own output).
   */
  eventWriteRetryMs: { schema: intSchema(0, 600_000, 'milliseconds'), default: 30_000 },
  /** A retryable failure after output was published is retried (subscribers see `turn-retry`). */
  retryAfterOutput: { schema: z.boolean().describe('true or false'), default: false },
  /** No first chunk this long after the call → `first_chunk_timeout`. 0 disables the watchdog. */
  firstChunkMs: { schema: watchdogMs(3_600_000), default: 60_000 },
  /** No chunk this long mid-stream → `idle_timeout` (Bedrock streams can stall silently). 0 disables it. */
  idleMs: { schema: watchdogMs(3_600_000), default: 30_000 },
  /** A whole turn takes at most this long → `turn_timeout`. 0 disables it. */
  turnMs: { schema: watchdogMs(86_400_000), default: 600_000 },
  /** Largest HTTP request body: the protocol's 20 MiB request limit plus 1 MiB of JSON overhead. */
  bodyLimitBytes: { schema: intSchema(1024, 1_073_741_824, 'bytes'), default: 21 * 1024 * 1024 },
  /** Fleet-wide admission against Bedrock quotas before each call (off = every host calls at once, as before). */
  admissionEnabled: { schema: z.boolean().describe('true or false'), default: true },
  /**
   * Longest wait for the account's quota before a turn falls back or fails with rate_limited:
   * two minutes rides out a burst (quotas refill over one minute) without hiding an outage.
   */
  maxWaitMs: { schema: intSchema(0, 3_600_000, 'milliseconds'), default: 120_000 },
  /** An admitted call's lease on the budget; renewed while it runs, so a crashed host's reservation frees within it. */
  leaseTtlMs: { schema: intSchema(5000, 3_600_000, 'milliseconds'), default: 60_000 },
  /** piscina threads kept alive. */
  minThreads: { schema: intSchema(1, 1024, 'threads'), default: 1 },
  /** piscina threads at most; the default is computed (`defaultMaxThreads`). */
  maxThreads: { schema: intSchema(1, 1024, 'threads'), default: undefined },
  /** Turns one thread runs at once: a turn is I/O-bound, so a thread carries many. */
  concurrentTasksPerWorker: { schema: intSchema(1, 10_000, 'turns per thread'), default: 64 },
  /** Turns one host runs at once (BullMQ concurrency); the default is computed (`defaultMaxTurns`). */
  maxTurns: { schema: intSchema(1, 1_000_000, 'turns'), default: undefined },
  /**
   * How long a model marked unavailable (AccessDenied at run time) stays refused fleet-wide: long
   * enough that the model is refused up front instead of costing every turn a failed Bedrock
   * call, short enough that one denial while IAM or model access was being changed does not
   * block it until the next catalog refresh.
   */
  unavailableTtlSeconds: { schema: intSchema(1, 86_400, 'seconds'), default: 300 },
  /** Where the dispatcher listens: loopback, so a fresh install exposes nothing. */
  dispatcherHost: {
    schema: z
      .string()
      .regex(/^[^\s/]{1,253}$/)
      .describe('a host name or IP address to listen on'),
    default: '127.0.0.1',
  },
  /** The dispatcher's HTTP port; 0 = a free one. */
  dispatcherPort: { schema: portSchema(), default: 8787 },
  /** The Bedrock emulator's port (`turnpool emulator`, and `turnpool start` in emulator mode): the dispatcher's plus one. */
  emulatorPort: { schema: portSchema(), default: 8788 },
  /**
   * ConverseStream calls of one runtime client (one per thread and region) share pooled HTTP/2
   * sessions instead of opening a connection — and a TLS handshake — each (the SDK's default for
   * event streams). Measured in docs/benchmarks.md (connection reuse).
   */
  bedrockSessionReuse: { schema: z.boolean().describe('true or false'), default: true },
  /**
   * Open streams one shared session carries before the pool opens another. Below the 100-128
   * streams AWS front ends advertise (SETTINGS_MAX_CONCURRENT_STREAMS; past the server's limit a new
   * stream would queue, not fail), and a thread at the default 64 turns uses two sessions.
   */
  bedrockStreamsPerSession: { schema: intSchema(1, 1000, 'streams per session'), default: 32 },
  /**
   * How many turns the recent-turns index (`GET /v1/turns`, the console) keeps at most, besides
   * dropping turns older than `retentionSeconds`: it bounds the index's memory (~100 bytes a turn)
   * whatever the submit rate.
   */
  turnIndexMax: { schema: intSchema(10, 10_000_000, 'turns'), default: 100_000 },
  /** How often a worker host writes its heartbeat (`GET /v1/hosts`): one SET and one ZADD each time. */
  heartbeatMs: { schema: intSchema(100, 600_000, 'milliseconds'), default: 5000 },
  /**
   * A host's heartbeat expires this long after its last beat, so a killed host leaves the host list
   * after about three missed beats (a stopped one removes itself at once). Must exceed `heartbeatMs`.
   */
  heartbeatTtlMs: { schema: intSchema(200, 3_600_000, 'milliseconds'), default: 16_000 },
} as const);

export type SharedSettingName = keyof typeof sharedSettings;

/**
 * Frozen settings: no layer can change a rule or a default for the others. (The zod schemas
 * themselves are left as they are: zod keeps lazy caches on them.)
 */
function freezeSettings<T extends Record<string, { schema: z.ZodType; default: unknown }>>(settings: T): Readonly<T> {
  for (const setting of Object.values(settings)) Object.freeze(setting);
  return Object.freeze(settings);
}
export type SettingValue<K extends SharedSettingName> = z.output<(typeof sharedSettings)[K]['schema']>;

/** `maxThreads` when unset: one thread per core, never fewer than `minThreads`. */
export function defaultMaxThreads(minThreads: number): number {
  return Math.max(availableParallelism(), minThreads);
}

/** `maxTurns` when unset: what the host's threads can run at once. */
export function defaultMaxTurns(maxThreads: number, concurrentTasksPerWorker: number): number {
  return maxThreads * concurrentTasksPerWorker;
}

/**
 * One option of a library's options object, checked with the shared rule: `undefined` gives the
 * default (or `fallback` for the computed ones); a bad value throws a RangeError whose message
 * starts with `label` (e.g. "worker option keyPrefix") and says what is allowed.
 */
export function resolveSetting<K extends SharedSettingName>(
  name: K,
  value: unknown,
  label: string,
  fallback?: SettingValue<K>,
): SettingValue<K> {
  const setting = sharedSettings[name];
  if (value === undefined) {
    const fallen = fallback ?? setting.default;
    if (fallen === undefined) throw new TypeError(`${label}: no default for ${name}; pass a value`);
    return fallen as SettingValue<K>;
  }
  const parsed = setting.schema.safeParse(value);
  if (!parsed.success) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value);
    throw new RangeError(`${label} must be ${setting.schema.description ?? 'valid'}, got ${shown}`);
  }
  return parsed.data as SettingValue<K>;
}
