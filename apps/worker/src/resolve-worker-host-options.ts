import os from 'node:os';
import type { ResolvedWorkerHostOptions, WorkerHostOptions } from './worker-host-options.ts';

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`worker option ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Applies defaults and checks every option, naming the one that is wrong. */
export function resolveWorkerHostOptions(opts: WorkerHostOptions): ResolvedWorkerHostOptions {
  if (typeof opts.redisUrl !== 'string' || opts.redisUrl === '') throw new TypeError('worker option redisUrl is required');
  const maxThreads = positiveInt('maxThreads', opts.maxThreads, Math.max(1, os.availableParallelism()));
  const minThreads = positiveInt('minThreads', opts.minThreads, 1);
  if (minThreads > maxThreads) throw new RangeError(`worker option minThreads (${minThreads}) exceeds maxThreads (${maxThreads})`);
  const keyPrefix = opts.keyPrefix ?? 'turnpool';
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(keyPrefix)) throw new TypeError('worker option keyPrefix must match [A-Za-z0-9:_-]{1,64}');
  const t = opts.timeouts ?? {};
  return {
    redisUrl: opts.redisUrl,
    keyPrefix,
    queueName: opts.queueName ?? 'turns',
    maxTurns: positiveInt('maxTurns', opts.maxTurns, 256),
    minThreads,
    maxThreads,
    concurrentTasksPerWorker: positiveInt('concurrentTasksPerWorker', opts.concurrentTasksPerWorker, 64),
    inline: opts.inline ?? false,
    lockDurationMs: positiveInt('lockDurationMs', opts.lockDurationMs, 5_000, 1000),
    stalledIntervalMs: positiveInt('stalledIntervalMs', opts.stalledIntervalMs, 2_000, 100),
    maxStalledCount: positiveInt('maxStalledCount', opts.maxStalledCount, 2, 0),
    shutdownGraceMs: positiveInt('shutdownGraceMs', opts.shutdownGraceMs, 30_000, 1000),
    streamTtlSeconds: positiveInt('streamTtlSeconds', opts.streamTtlSeconds, 86_400),
    retryAfterOutput: opts.retryAfterOutput ?? false,
    timeouts: {
      firstChunkMs: positiveInt('timeouts.firstChunkMs', t.firstChunkMs, 60_000, 0),
      idleMs: positiveInt('timeouts.idleMs', t.idleMs, 30_000, 0),
      turnMs: positiveInt('timeouts.turnMs', t.turnMs, 600_000, 0),
    },
    bedrockEndpoint: opts.bedrockEndpoint,
    region: opts.region,
    workerId: opts.workerId ?? `${os.hostname()}:${process.pid}`,
  };
}
