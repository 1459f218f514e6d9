import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import { detectCredentials } from '@turnpool/credentials';
import type { TurnJobData, TurnSummary } from '@turnpool/protocol';
import { checkRedisServer } from '@turnpool/redis-connect';
import {
  cancelledError,
  cancelMessage,
  decodeJobFailure,
  encodeJobFailure,
  ensureTerminalEvent,
  receiveCancels,
  startHostHeartbeat,
  turnKeys,
  type TurnOutcome,
} from '@turnpool/turn-store';
import { resolveWorkerHostOptions } from './resolve-worker-host-options.ts';
import { TurnAdmission } from './turn-admission.ts';
import { settleBy } from './settle-by.ts';
import type { TurnTask } from './turn-task.ts';
import type { WorkerHostOptions } from './worker-host-options.ts';

export interface WorkerHost {
  /** Unique id of this host (BroadcastChannel name suffix, logs). */
  readonly id: string;
  /** Turns running right now. */
  readonly running: number;
  /**
   * Graceful stop, over within `shutdownGraceMs` whatever state Redis is in: take no new turns,
   * let running turns finish, cancel the rest shortly before the end, close the pool and
   * connections. What is still waiting at the end (an unreachable Redis) is forced closed and
   * the promise rejects with one line naming it. Safe to call twice.
   */
  close(): Promise<void>;
}

type Runner = { run(task: TurnTask): Promise<TurnOutcome>; close(): Promise<void>; threads(): number };

/** The worker package's version, for the host's heartbeat (package.json sits one level above src/ and dist/). */
const workerVersion = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

async function createRunner(
  inline: boolean,
  threadData: object,
  env: NodeJS.ProcessEnv,
  minThreads: number,
  maxThreads: number,
  perThread: number,
): Promise<Runner> {
  if (inline) {
    const { runTurnTask, closeThreadResources } = await import('./thread/run-turn-task.ts');
    const { setThreadData } = await import('./thread/thread-data.ts');
    setThreadData(threadData, env);
    return { run: (task) => runTurnTask(task), close: () => closeThreadResources(), threads: () => 1 };
  }
  const pool = new Piscina<TurnTask, TurnOutcome>({
    // Built (dist/*.js): the thread loads the task module itself. From sources (*.ts, dev and
    // tests): entry.mjs registers tsx in the thread first (docs/development.md, "Sources or dist").
    filename: new URL(import.meta.url.endsWith('.ts') ? './thread/entry.mjs' : './thread/run-turn-task.js', import.meta.url).href,
    name: 'runTurnTask',
    // 'sync' (the default) parks idle threads in Atomics.wait, freezing the Redis and
    // HTTP/2 sockets they own; turns are I/O-bound and need their event loop running.
    atomics: 'disabled',
    minThreads,
    maxThreads,
    concurrentTasksPerWorker: perThread,
    idleTimeout: 60_000,
    workerData: threadData,
    // Each thread's process.env: where it reads credentials and the region (WorkerHostOptions.env).
    env,
  });
  return { run: (task) => pool.run(task), close: () => pool.destroy(), threads: () => pool.threads.length };
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
  const keys = turnKeys(o.keyPrefix);
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
  const env = options.env ?? process.env;
  const credentials = await detectCredentials({ env, probe: true });
  const threadData = { options: o, hostId: id, credentials };
  const runner = await createRunner(o.inline, threadData, env, o.minThreads, o.maxThreads, o.concurrentTasksPerWorker);

  // Cancel routing: Redis pub/sub -> BroadcastChannel -> the thread that owns the turn.
  const cancelOut = new BroadcastChannel(cancelChannelName);
  const subscriber = new Redis(o.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  // The last connection error any of the host's clients saw: named when a stop has to give up.
  let lastRedisError: string | undefined;
  const noteError = (err: Error): void => {
    lastRedisError = err.message;
  };
  subscriber.on('error', (err) => {
    noteError(err);
    log?.warn({ err: { message: err.message } }, 'cancel subscriber error');
  });
  await subscriber.connect();
  await receiveCancels(
    subscriber,
    o.keyPrefix,
    (msg) => cancelOut.postMessage(msg),
    (raw) => log?.warn({ raw: raw.slice(0, 200) }, 'ignored malformed cancel message'),
  );

  // Failures BullMQ decides on its own (a turn stalled more than maxStalledCount times) never
  // pass through a thread: make sure such a turn still gets its one terminal event.
  const control = new Redis(o.redisUrl, { maxRetriesPerRequest: 3 });
  control.on('error', noteError);
  const queueEvents = new QueueEvents(o.queueName, { connection: { url: o.redisUrl } as never, prefix: keys.queuePrefix });
  queueEvents.on('error', (err) => {
    noteError(err);
    log?.warn({ err: { message: err.message } }, 'queue events error');
  });
  queueEvents.on('failed', ({ jobId, failedReason }) => {
    ensureTerminalEvent(control, o.keyPrefix, jobId, decodeJobFailure(failedReason), o.streamTtlSeconds)
      .then((wrote) => {
        if (wrote) log?.warn({ turnId: jobId, failedReason }, 'turn failed by the queue; published turn-error');
      })
      .catch((err: unknown) => log?.warn({ turnId: jobId, err: { message: (err as Error).message } }, 'could not end a failed turn'));
  });
  await queueEvents.waitUntilReady();

  // Fleet-wide admission: one budget per (region, model) shared by every host through Redis.
  // (Its queue handle only wakes waiting turns: promote() of their delayed jobs.)
  const promoter = o.admission.enabled ? new Queue(o.queueName, { connection: control as never, prefix: keys.queuePrefix }) : undefined;
  promoter?.on('error', () => {});
  const admission = promoter
    ? new TurnAdmission(
        control,
        promoter,
        o.keyPrefix,
        o.streamTtlSeconds,
        { quotas: o.quotas, maxWaitMs: o.admission.maxWaitMs, leaseTtlMs: o.admission.leaseTtlMs },
        log,
      )
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
        let result: TurnOutcome | undefined;
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
        if (result.status === 'cancelled') throw encodeJobFailure(cancelledError(result.by), true);
        if (result.error.code === 'model_access_denied' && options.catalog) {
          options.catalog
            .markUnavailable((admitted?.model ?? job.data.model).modelId, result.error.message)
            .catch((err: unknown) => log?.warn({ err: { message: (err as Error).message } }, 'could not mark the model unavailable'));
        }
        throw encodeJobFailure(result.error, result.terminal);
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
  worker.on('error', (err) => {
    noteError(err);
    log?.error({ err: { message: err.message } }, 'worker error');
  });
  await worker.waitUntilReady();
  // The host's heartbeat (`GET /v1/hosts`): one MULTI every heartbeatMs on the control connection.
  const startedAt = Date.now();
  const heartbeat = await startHostHeartbeat({
    redis: control,
    keyPrefix: o.keyPrefix,
    intervalMs: o.heartbeatMs,
    ttlMs: o.heartbeatTtlMs,
    read: () => ({
      hostId: o.workerId,
      hostname: os.hostname(),
      pid: process.pid,
      version: workerVersion,
      startedAt,
      threads: runner.threads(),
      runningTurns: running,
      maxTurns: o.maxTurns,
    }),
    onError: (err) => log?.warn({ err: { message: err.message } }, 'heartbeat not written'),
  });
  log?.info({ hostId: id, inline: o.inline, maxThreads: o.maxThreads, maxTurns: o.maxTurns }, 'worker host ready');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const grace = o.shutdownGraceMs;
      const deadline = Date.now() + grace;
      const unfinished: string[] = [];
      // Every step ends by the deadline, whatever state Redis is in: one still waiting then is
      // forced, and named in the error unless `what` says it adds nothing (undefined).
      const step = async (what: () => string | undefined, fn: () => Promise<unknown>, force: () => unknown): Promise<void> => {
        const outcome = await settleBy(deadline, fn);
        if (outcome === 'done') return;
        const name = what();
        if (name !== undefined) unfinished.push(name);
        if (outcome !== 'late') log?.warn({ step: name, err: { message: outcome.message } }, 'shutdown step failed');
        force();
      };
      // Stop taking jobs. Running turns may finish until the last fifth of the grace period (at
      // most 5 s); then they are cancelled, leaving that time to write their turn-cancelled
      // events and job results before the deadline.
      // Leave the host list at once (a killed host leaves it when its heartbeat expires); awaited
      // with the other closing steps below, so an unreachable Redis costs no extra time here.
      const heartbeatStopped = heartbeat.stop();
      heartbeatStopped.catch(() => {});
      const drained = worker.close();
      const cancel = setTimeout(
        () => cancelOut.postMessage(cancelMessage('*', 'shutdown')),
        grace - Math.min(5_000, Math.floor(grace / 5)),
      );
      // The third argument of step() forces a close that overran: a disconnect that fails then
      // (the connection is already gone) has nothing left to free, hence the empty catches.
      await step(
        () =>
          running === 0 ? 'the queue connection' : `the queue (${running} running turn${running === 1 ? '' : 's'}, results not written)`,
        () => drained,
        () => void worker.disconnect().catch(() => undefined),
      );
      clearTimeout(cancel);
      const queueGivenUp = unfinished.length > 0;
      // Admission rides on the control connection: stop renewing leases and close its queue handle first.
      admission?.close();
      if (promoter)
        await step(
          () => 'the admission queue',
          () => promoter.close(),
          () => void promoter.disconnect().catch(() => undefined),
        );
      // Each closes on its own. The threads end with the pool (or the process) in any case; late,
      // they are worth naming only when the queue did not already say that turns were left.
      await Promise.all([
        step(
          () => (queueGivenUp ? undefined : 'the turn threads'),
          () => runner.close(),
          () => undefined,
        ),
        step(
          () => 'the cancel subscriber',
          () => subscriber.quit(),
          () => subscriber.disconnect(),
        ),
        step(
          () => 'queue events',
          () => queueEvents.close(),
          () => void queueEvents.disconnect().catch(() => undefined),
        ),
        step(
          () => 'the heartbeat',
          () => heartbeatStopped,
          () => undefined,
        ),
        step(
          () => 'the control connection',
          () => control.quit(),
          () => control.disconnect(),
        ),
      ]);
      cancelOut.close();
      if (unfinished.length > 0) {
        const list = unfinished.length === 1 ? unfinished[0] : `${unfinished.slice(0, -1).join(', ')} and ${unfinished.at(-1)}`;
        const error = lastRedisError === undefined ? '' : ` (last Redis error: ${lastRedisError})`;
        throw new Error(`gave up on ${list} at the end of the ${grace / 1000} s grace period${error}`);
      }
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
