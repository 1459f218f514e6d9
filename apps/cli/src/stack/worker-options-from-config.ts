import type { TurnpoolConfig } from '@turnpool/config';
import type { WorkerHostOptions } from '@turnpool/worker';

/** Maps the config's queue, pool, streams, retry, timeouts, shutdown and bedrock sections and the default guardrail onto worker host options. */
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
    maxStalledCount: config.queue.maxStalledCount,
    streamTtlSeconds: config.streams.ttlSeconds,
    streamLingerMs: config.streams.lingerMs,
    streamWriteRetryMs: config.streams.writeRetryMs,
    retryAfterOutput: config.retry.afterOutput,
    timeouts: { ...config.timeouts },
    admission: { ...config.bedrock.admission },
    connections: { ...config.bedrock.connections },
    quotas: { ...config.bedrock.quotas },
    shutdownGraceMs: config.shutdown.graceMs,
    heartbeatMs: config.pool.heartbeatMs,
    heartbeatTtlMs: config.pool.heartbeatTtlMs,
    bedrockEndpoint: config.models.providers['amazon-bedrock']?.baseUrl,
    guardrail: config.plugins.entries['amazon-bedrock']?.config?.guardrail,
  };
}
