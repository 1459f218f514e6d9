import type { TurnpoolConfig } from '@turnpool/config';
import type { WorkerHostOptions } from '@turnpool/worker';

/** Maps the config's queue, pool, streams, retry, timeouts and shutdown sections onto worker host options. */
export function workerOptionsFromConfig(config: TurnpoolConfig, redisUrl: string): WorkerHostOptions {
  return {
    redisUrl,
    keyPrefix: config.redis.keyPrefix,
    queueName: config.queue.name,
    maxTurns: config.pool.maxTurnsPerHost,
    minThreads: config.pool.minThreads,
    maxThreads: config.pool.maxThreads,
    concurrentTasksPerWorker: config.pool.concurrentTasksPerWorker,
    lockDurationMs: config.queue.lockDurationMs,
    stalledIntervalMs: config.queue.stalledIntervalMs,
    streamTtlSeconds: config.streams.ttlSeconds,
    retryAfterOutput: config.retry.afterOutput,
    timeouts: { ...config.timeouts },
    shutdownGraceMs: config.shutdown.graceMs,
    bedrockEndpoint: config.models.providers['amazon-bedrock']?.baseUrl,
  };
}
