import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { Queue, QueueEvents, Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import { detectCredentials } from '@turnpool/credentials';
import { redisKeys, type TurnJobData, type TurnSummary } from '@turnpool/protocol';
import { checkRedisServer } from '@turnpool/redis-connect';
import type { CancelMessage } from './cancel-registry.ts';
import { ensureTerminalEvent, errorFromFailedReason } from './ensure-terminal-event.ts';
import { resolveWorkerHostOptions } from './resolve-worker-host-options.ts';
import { TurnAdmission } from './turn-admission.ts';
import type { TurnTask, TurnTaskResult } from './turn-task.ts';
import type { WorkerHostOptions } from './worker-host-options.ts';

export interface WorkerHost {
  /** Unique id of this host (BroadcastChannel name suffix, logs). */
  readonly id: string;
  /** Turns running right now. */
  readonly running: number;
  /**
   * Graceful stop: take no new turns, let running turns finish within the grace period,
   * cancel the rest, then close the pool and connections. Safe to call twice.
   */
  close(): Promise<void>;
}

type Runner = { run(task: TurnTask): Promise<TurnTaskResult>; close(): Promise<void> };

async function createRunner(inline: boolean, threadData: object, minThreads: number, maxThreads: number, perThread: number): Promise<Runner> {
  if (inline) {
    const { runTurnTask, closeThreadResources } = await import('./thread/run-turn-task.ts');
    const { setThreadData } = await import('./thread/thread-data.ts');
    setThreadData(threadData);
    return { run: (task) => runTurnTask(task), close: () => closeThreadResources() };
  }
  const pool = new Piscina<TurnTask, TurnTaskResult>({
    filename: new URL('./thread/entry.mjs', import.meta.url).href,
    // 'sync' (the default) parks idle threads in Atomics.wait, freezing the Redis and
    // HTTP/2 sockets they own; turns are I/O-bound and need their event loop running.
    atomics: 'disabled',
    minThreads,
    maxThreads,
    concurrentTasksPerWorker: perThread,
    idleTimeout: 60_000,
    workerData: threadData,
  });
  return { run: (task) => pool.run(task), close: () => pool.destroy() };
}

/**
 * A worker host: a BullMQ Worker on the turn queue whose processor hands each turn to a
 * piscina thread (or runs it inline). The main thread only coordinates: locks, stalled
 * checks, cancel routing and shutdown.
 */
export async function startWorkerHost(options: WorkerHostOptions): Promise<WorkerHost> {
  const o = resolveWorkerHostOptions(options);
  const log = options.logger;
  const id = randomUUID();
  const keys = redisKeys(o.keyPrefix);
  const cancelChannelName = `turnpool-cancel-${id}`;
  const guard = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  guard.on('error', () => {});
  try {
    await guard.connect();
    // Refuses an evicting Redis and a prefix that splits a turn over Cluster slots (RedisGuardError).
    await checkRedisServer(guard, { keyPrefix: o.keyPrefix, ...(log ? { logger: log } : {}) });
  } finally {
    guard.disconnect();
  }
  const credentials = await detectCredentials({ env: process.env, probe: true });
  const threadData = { options: o, hostId: id, credentials };
  const runner = await createRunner(o.inline, threadData, o.minThreads, o.maxThreads, o.concurrentTasksPerWorker);

  // Cancel routing: Redis pub/sub -> BroadcastChannel -> the thread that owns the turn.
  const cancelOut = new BroadcastChannel(cancelChannelName);
  const subscriber = new Redis(o.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  subscriber.on('error', (err) => log?.warn({ err: { message: err.message } }, 'cancel subscriber error'));
  await subscriber.connect();
  await subscriber.subscribe(keys.cancelChannel);
  subscriber.on('message', (_channel, raw) => {
    try {
      const msg = JSON.parse(raw) as CancelMessage;
      if (typeof msg.turnId === 'string' && msg.turnId !== '*') cancelOut.postMessage({ turnId: msg.turnId, by: String(msg.by ?? 'api') });
    } catch {
      log?.warn({ raw: raw.slice(0, 200) }, 'ignored malformed cancel message');
    }
  });

  // Failures BullMQ decides on its own (a turn stalled more than maxStalledCount times) never
  // pass through a thread: make sure such a turn still gets its one terminal event.
  const control = new Redis(o.redisUrl, { maxRetriesPerRequest: 3 });
  control.on('error', () => {});
  const queueEvents = new QueueEvents(o.queueName, { connection: { url: o.redisUrl } as never, prefix: keys.queuePrefix });
  queueEvents.on('error', (err) => log?.warn({ err: { message: err.message } }, 'queue events error'));
  queueEvents.on('failed', ({ jobId, failedReason }) => {
    ensureTerminalEvent(control, o.keyPrefix, jobId, errorFromFailedReason(failedReason), o.streamTtlSeconds)
      .then((wrote) => { if (wrote) log?.warn({ turnId: jobId, failedReason }, 'turn failed by the queue; published turn-error'); })
      .catch((err: unknown) => log?.warn({ turnId: jobId, err: { message: (err as Error).message } }, 'could not end a failed turn'));
  });
  await queueEvents.waitUntilReady();

  // Fleet-wide admission: one budget per (region, model) shared by every host through Redis.
  const promoter = new Queue(o.queueName, { connection: control as never, prefix: keys.queuePrefix });
  promoter.on('error', () => {});
  const admission = o.admission.enabled
    ? new TurnAdmission(control, promoter, o.keyPrefix, o.streamTtlSeconds, { quotas: o.quotas, maxWaitMs: o.admission.maxWaitMs, leaseTtlMs: o.admission.leaseTtlMs }, log)
    : undefined;

  let running = 0;
  const worker = new Worker<TurnJobData, TurnSummary>(
    o.queueName,
    async (job: Job<TurnJobData, TurnSummary>, token?: string) => {
      running++;
      try {
        const maxAttempts = job.opts.attempts ?? 1;
        const bullAttempt = job.attemptsMade + 1;
        const admitted = admission ? await admission.admit(job, token) : undefined;
        let result: TurnTaskResult | undefined;
        try {
          result = await runner.run({
            jobId: job.id ?? job.data.turnId,
            data: admitted && admitted.model !== job.data.model ? { ...job.data, model: admitted.model } : job.data,
            bullAttempt,
            isFinalAttempt: bullAttempt >= maxAttempts,
            cancelChannel: cancelChannelName,
            workerId: o.workerId,
            throttleWaits: admitted !== undefined,
            hasFallback: admitted?.hasFallback ?? false,
          });
        } finally {
          // Settles the lease whatever happened; may put the turn back to wait (DelayedError) or on its next model.
          if (admission && admitted) await admission.finish(job, token, admitted, result);
        }
        if (result.status === 'succeeded') return result.summary;
        if (result.status === 'cancelled') throw new UnrecoverableError(JSON.stringify({ code: 'cancelled', message: `cancelled by ${result.by}`, retryable: false }));
        if (result.error.code === 'model_access_denied' && options.catalog) {
          options.catalog.markUnavailable((admitted?.model ?? job.data.model).modelId, result.error.message)
            .catch((err: unknown) => log?.warn({ err: { message: (err as Error).message } }, 'could not mark the model unavailable'));
        }
        const reason = JSON.stringify(result.error);
        if (result.terminal) throw new UnrecoverableError(reason);
        throw new Error(reason);
      } finally {
        running--;
      }
    },
    {
      connection: { url: o.redisUrl, maxRetriesPerRequest: null } as never,
      prefix: keys.queuePrefix,
      concurrency: o.maxTurns,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
      autorun: true,
    },
  );
  worker.on('error', (err) => log?.error({ err: { message: err.message } }, 'worker error'));
  await worker.waitUntilReady();
  log?.info({ hostId: id, inline: o.inline, maxThreads: o.maxThreads, maxTurns: o.maxTurns }, 'worker host ready');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const failures: unknown[] = [];
      const step = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          failures.push(err);
          log?.warn({ step: name, err: { message: (err as Error).message } }, 'shutdown step failed');
        }
      };
      // Stop taking jobs; running ones finish within the grace period, then get cancelled.
      const drained = worker.close();
      const grace = setTimeout(() => cancelOut.postMessage({ turnId: '*', by: 'shutdown' } satisfies CancelMessage), o.shutdownGraceMs);
      await step('worker', () => drained);
      clearTimeout(grace);
      await step('runner', () => runner.close());
      await step('subscriber', () => subscriber.quit());
      await step('queue events', () => queueEvents.close());
      admission?.close();
      await step('promoter', () => promoter.close());
      await step('control', () => control.quit());
      cancelOut.close();
      if (failures.length > 0) log?.warn({ failures: failures.length }, 'worker host closed with failures');
    })();
    return closing;
  };

  return {
    id,
    get running() {
      return running;
    },
    close,
  };
}
