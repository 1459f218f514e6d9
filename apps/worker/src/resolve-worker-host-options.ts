import os from 'node:os';
import { defaultMaxThreads, defaultMaxTurns, resolveSetting } from '@turnpool/config';
import { checkGuardrailOption } from '@turnpool/protocol';
import type { ResolvedWorkerHostOptions, WorkerHostOptions } from './worker-host-options.ts';

/**
 * Applies defaults and checks every option with the rules the config file uses
 * (libs/config `sharedSettings`), naming the option that is wrong: a value the config accepts
 * is one the worker accepts. The result is frozen (it is handed to every thread as is).
 */
export function resolveWorkerHostOptions(opts: WorkerHostOptions): ResolvedWorkerHostOptions {
  if (typeof opts.redisUrl !== 'string' || opts.redisUrl === '') throw new TypeError('worker option redisUrl is required');
  const label = (name: string) => `worker option ${name}`;
  const minThreads = resolveSetting('minThreads', opts.minThreads, label('minThreads'));
  const maxThreads = resolveSetting('maxThreads', opts.maxThreads, label('maxThreads'), defaultMaxThreads(minThreads));
  if (minThreads > maxThreads) throw new RangeError(`worker option minThreads (${minThreads}) exceeds maxThreads (${maxThreads})`);
  const concurrentTasksPerWorker = resolveSetting(
    'concurrentTasksPerWorker',
    opts.concurrentTasksPerWorker,
    label('concurrentTasksPerWorker'),
  );
  const t = opts.timeouts ?? {};
  const heartbeatMs = resolveSetting('heartbeatMs', opts.heartbeatMs, label('heartbeatMs'));
  const heartbeatTtlMs = resolveSetting('heartbeatTtlMs', opts.heartbeatTtlMs, label('heartbeatTtlMs'));
  if (heartbeatTtlMs <= heartbeatMs)
    throw new RangeError(`worker option heartbeatTtlMs (${heartbeatTtlMs}) must be above heartbeatMs (${heartbeatMs})`);
  return Object.freeze({
    redisUrl: opts.redisUrl,
    keyPrefix: resolveSetting('keyPrefix', opts.keyPrefix, label('keyPrefix')),
    queueName: resolveSetting('queueName', opts.queueName, label('queueName')),
    maxTurns: resolveSetting('maxTurns', opts.maxTurns, label('maxTurns'), defaultMaxTurns(maxThreads, concurrentTasksPerWorker)),
    minThreads,
    maxThreads,
    concurrentTasksPerWorker,
    inline: opts.inline ?? false,
    lockDurationMs: resolveSetting('lockDurationMs', opts.lockDurationMs, label('lockDurationMs')),
    stalledIntervalMs: resolveSetting('stalledIntervalMs', opts.stalledIntervalMs, label('stalledIntervalMs')),
    maxStalledCount: resolveSetting('maxStalledCount', opts.maxStalledCount, label('maxStalledCount')),
    shutdownGraceMs: resolveSetting('shutdownGraceMs', opts.shutdownGraceMs, label('shutdownGraceMs')),
    streamTtlSeconds: resolveSetting('retentionSeconds', opts.streamTtlSeconds, label('streamTtlSeconds')),
    streamLingerMs: resolveSetting('eventLingerMs', opts.streamLingerMs, label('streamLingerMs')),
    streamWriteRetryMs: resolveSetting('eventWriteRetryMs', opts.streamWriteRetryMs, label('streamWriteRetryMs')),
    retryAfterOutput: resolveSetting('retryAfterOutput', opts.retryAfterOutput, label('retryAfterOutput')),
    timeouts: Object.freeze({
      firstChunkMs: resolveSetting('firstChunkMs', t.firstChunkMs, label('timeouts.firstChunkMs')),
      idleMs: resolveSetting('idleMs', t.idleMs, label('timeouts.idleMs')),
      turnMs: resolveSetting('turnMs', t.turnMs, label('timeouts.turnMs')),
    }),
    admission: Object.freeze({
      enabled: resolveSetting('admissionEnabled', opts.admission?.enabled, label('admission.enabled')),
      maxWaitMs: resolveSetting('maxWaitMs', opts.admission?.maxWaitMs, label('admission.maxWaitMs')),
      leaseTtlMs: resolveSetting('leaseTtlMs', opts.admission?.leaseTtlMs, label('admission.leaseTtlMs')),
    }),
    connections: Object.freeze({
      sessionReuse: resolveSetting('bedrockSessionReuse', opts.connections?.sessionReuse, label('connections.sessionReuse')),
      streamsPerSession: resolveSetting(
        'bedrockStreamsPerSession',
        opts.connections?.streamsPerSession,
        label('connections.streamsPerSession'),
      ),
    }),
    quotas: { ...opts.quotas },
    bedrockEndpoint: opts.bedrockEndpoint,
    guardrail: checkGuardrailOption(opts.guardrail, label('guardrail')),
    region: opts.region,
    workerId: opts.workerId ?? `${os.hostname()}:${process.pid}`,
    heartbeatMs,
    heartbeatTtlMs,
  });
}
