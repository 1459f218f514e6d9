import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { resolveSetting } from '@turnpool/config';
import type { Redis } from 'ioredis';
import {
  TurnError,
  checkModelInput,
  limits,
  parseTurnRequest,
  turnIdPattern,
  type TurnEvent,
  type TurnJobData,
  type TurnSummary,
} from '@turnpool/protocol';
import { cancelMessage, requestCancel } from '../cancel/turn-cancel.ts';
import { appendTurnEvent } from '../event-log/append-turn-event.ts';
import { subscribeTurn as followTurn } from '../event-log/subscribe-turn.ts';
import { listHosts, type HostHeartbeat } from '../fleet/host-heartbeat.ts';
import { readModelMinutes, type ModelWindowFigures } from '../live/model-minutes.ts';
import { readTurnInfo, type TurnRecord } from '../record/read-turn-info.ts';
import { indexTurn, listTurns, type TurnListQuery, type TurnPage } from '../record/turn-index.ts';
import type { TurnInfo } from '../record/turn-info.ts';
import { createTurnClaims } from '../record/turn-claims.ts';
import { turnKeys } from '../turn-keys.ts';
import { deriveTurnId } from './derive-turn-id.ts';
import type { ModelResolver } from './model-resolver.ts';
import { requestFingerprint } from './request-fingerprint.ts';
import { resolveFallbacks } from './resolve-fallbacks.ts';
import type { SubmitResult } from './submit-result.ts';

export interface TurnClientOptions {
  /** A regular ioredis connection (queue commands, stream reads, cancel messages). Not closed by the client. */
  redis: Redis;
  /** Resolves the request's model ref against the catalog. */
  resolveModel: ModelResolver;
  /** @defaultValue sharedSettings.keyPrefix ('turnpool') */
  keyPrefix?: string;
  /** @defaultValue sharedSettings.queueName ('turns') */
  queueName?: string;
  /** BullMQ attempts per turn (the first included). @defaultValue sharedSettings.attempts (3) */
  attempts?: number;
  /** Base of the exponential backoff between attempts, ms (jittered). @defaultValue sharedSettings.backoffMs (1000) */
  backoffMs?: number;
  /** Fallback model refs for turns whose request names none (config `agents.defaults.model.fallbacks`). @defaultValue [] */
  fallbacks?: readonly string[];
  /** Longest wait for admission for turns whose request sets none (config `bedrock.admission.maxWaitMs`). @defaultValue the worker's */
  maxWaitMs?: number;
  /** Finished jobs and streams are kept this long. @defaultValue sharedSettings.retentionSeconds (86400) */
  retentionSeconds?: number;
  /**
   * How long an idempotency claim may stay unconfirmed, s: a submitter that dies between
   * claiming a turn id and enqueueing it blocks a different request under that id at most this
   * long (the same request enqueues at once). Far above a queue add's duration. @defaultValue 60
   */
  claimTtlSeconds?: number;
  /** Turns the recent-turns index (`listTurns`) keeps at most, besides dropping expired ones. @defaultValue sharedSettings.turnIndexMax (100000) */
  turnIndexMax?: number;
}

export interface TurnClient {
  /**
   * Validates and enqueues a turn. Throws `TurnError` (invalid_request naming the field,
   * payload_too_large, model_not_found, unsupported_input, duplicate_turn…) and enqueues
   * nothing when the request is refused. The same Idempotency-Key (or body `turnId`) with the
   * same request enqueues once and answers `created: false` — also under concurrency: exactly
   * one of any number of simultaneous calls with one id answers `created: true`.
   */
  submitTurn(input: unknown, opts?: { idempotencyKey?: string }): Promise<SubmitResult>;
  /** The turn's state, attempt, result or error; `null` when unknown or expired. */
  getTurn(turnId: string): Promise<TurnInfo | null>;
  /**
   * Asks for a turn to stop. A queued turn is removed and ends with `turn-cancelled` at once; a
   * running one is aborted by its worker. Throws turn_not_found / turn_finished.
   */
  cancelTurn(turnId: string, by?: string): Promise<TurnInfo>;
  /** Every event of the turn after `after`, gap-free and duplicate-free, ending after the terminal event. */
  subscribeTurn(turnId: string, opts?: { after?: number; signal?: AbortSignal }): AsyncGenerator<TurnEvent, void, undefined>;
  /** Queue depth by state (for metrics). */
  queueCounts(): Promise<Record<string, number>>;
  /**
   * Recent turns, newest first, filtered and paged, from the bounded index and each turn's record
   * (never its events). Throws `invalid_request` naming the bad option (as the query parameter).
   */
  listTurns(query?: TurnListQuery): Promise<TurnPage>;
  /** The worker hosts whose heartbeat has not expired. */
  listHosts(): Promise<HostHeartbeat[]>;
  /** Per model, the turns that ended in the last `windowMinutes` (1-60): count, output tokens, TTFT samples. */
  modelMinutes(windowMinutes: number): Promise<ModelWindowFigures[]>;
  /** Closes the queue and the shared subscriber connection. Safe to call twice. */
  close(): Promise<void>;
}

function checkTurnId(turnId: string): void {
  if (typeof turnId !== 'string' || turnId.length > limits.maxTurnIdChars || !turnIdPattern.test(turnId)) {
    throw new TurnError('invalid_request', 'turn id must be 1-128 characters [A-Za-z0-9._-].', { field: 'turnId' });
  }
}

/** The typed API a Node gateway embeds: the dispatcher's HTTP routes are a thin face over it. */
export function createTurnClient(opts: TurnClientOptions): TurnClient {
  // The config file's rules and defaults (libs/config sharedSettings), so both accept the same values.
  const label = (name: string) => `turn client option ${name}`;
  const keyPrefix = resolveSetting('keyPrefix', opts.keyPrefix, label('keyPrefix'));
  const keys = turnKeys(keyPrefix);
  const attempts = resolveSetting('attempts', opts.attempts, label('attempts'));
  const backoffMs = resolveSetting('backoffMs', opts.backoffMs, label('backoffMs'));
  const retention = resolveSetting('retentionSeconds', opts.retentionSeconds, label('retentionSeconds'));
  const queueName = resolveSetting('queueName', opts.queueName, label('queueName'));
  const claimTtlSeconds = opts.claimTtlSeconds ?? 60;
  const turnIndexMax = resolveSetting('turnIndexMax', opts.turnIndexMax, label('turnIndexMax'));
  if (!Number.isInteger(claimTtlSeconds) || claimTtlSeconds < 1 || claimTtlSeconds > 86_400)
    throw new RangeError('turn client option claimTtlSeconds must be an integer 1-86400');
  const { redis } = opts;
  const queue = new Queue<TurnJobData, TurnSummary>(queueName, { connection: redis as never, prefix: keys.queuePrefix });
  queue.on('error', () => {});
  let subscriber: Redis | undefined;
  const claims = createTurnClaims({
    redis,
    recordKey: keys.record,
    jobKey: (turnId) => queue.toKey(turnId),
    retentionSeconds: retention,
    claimTtlSeconds,
  });

  const infoFrom = (turnId: string, job: Job<TurnJobData, TurnSummary> | undefined, known?: TurnRecord) =>
    readTurnInfo(redis, keyPrefix, turnId, job, known);

  const client: TurnClient = {
    async submitTurn(input, submitOpts = {}) {
      const parsed = parseTurnRequest(input);
      if (!parsed.ok) throw parsed.error;
      const request = parsed.value;
      const turnId = deriveTurnId(request.turnId, submitOpts.idempotencyKey);
      const fingerprint = requestFingerprint(request);
      const duplicate = () =>
        new TurnError('duplicate_turn', `Turn ${turnId} already exists with a different request.`, {
          field: request.turnId ? 'turnId' : 'Idempotency-Key',
        });
      if (request.turnId !== undefined || submitOpts.idempotencyKey !== undefined) {
        // Read-only first, so a retry of an accepted request answers even if the catalog changed since.
        const known = await claims.check(turnId, fingerprint);
        if (known.kind === 'conflict') throw duplicate();
        if (known.kind === 'exists') return { turnId, created: false };
      }
      const model = await opts.resolveModel(request.model, request);
      const inputError = checkModelInput(request, model);
      if (inputError) throw inputError;
      const fallbacks = await resolveFallbacks(request, model, opts.resolveModel, opts.fallbacks ?? []);
      const maxWaitMs = request.maxWaitMs ?? opts.maxWaitMs;
      const data: TurnJobData = {
        turnId,
        request,
        model,
        submittedAt: Date.now(),
        fingerprint,
        ...(fallbacks.length > 0 ? { fallbacks } : {}),
        ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
      };
      // The atomic step: exactly one caller per turn id gets `claimed`.
      const claim = await claims.claim(turnId, fingerprint, randomUUID(), {
        ref: model.ref,
        modelId: model.modelId,
        submittedAt: data.submittedAt,
      });
      if (claim.kind === 'conflict') throw duplicate();
      if (claim.kind === 'exists') return { turnId, created: false };
      if (claim.kind === 'free') throw new Error('turn claim script answered free to a claim');
      // `claimed`: this caller enqueues. `pending`: the same request is being enqueued by another
      // caller, which may still fail; adding the same job id is a no-op if it already succeeded,
      // so this caller answers only once the job is certainly in the queue.
      try {
        await queue.add('turn', data, {
          jobId: turnId,
          attempts,
          backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
          removeOnComplete: { age: retention },
          removeOnFail: { age: retention },
        });
      } catch (err) {
        // Free the id so a retry with the same key can enqueue; if even that fails, the claim expires on its own.
        if (claim.kind === 'claimed') await claims.release(turnId, claim.token).catch(() => {});
        throw err;
      }
      if (!(await claims.settle(turnId, fingerprint, claim.token))) {
        throw new TurnError(
          'service_unavailable',
          `Turn ${turnId} could not be confirmed (its claim expired or was released while it was enqueued); retry with the same ${request.turnId ? 'turnId' : 'Idempotency-Key'}.`,
        );
      }
      // Into the recent-turns index, not awaited (the turn is queued either way; a lost entry only
      // leaves it out of listTurns): one script call per accepted turn.
      if (claim.kind === 'claimed') void indexTurn(redis, keyPrefix, turnId, data.submittedAt, retention, turnIndexMax).catch(() => {});
      return { turnId, created: claim.kind === 'claimed' };
    },

    async getTurn(turnId) {
      checkTurnId(turnId);
      const job = (await queue.getJob(turnId)) as Job<TurnJobData, TurnSummary> | undefined;
      return infoFrom(turnId, job);
    },

    async cancelTurn(turnId, by = 'api') {
      checkTurnId(turnId);
      const job = (await queue.getJob(turnId)) as Job<TurnJobData, TurnSummary> | undefined;
      const before = await infoFrom(turnId, job);
      if (!before) throw new TurnError('turn_not_found', `No turn ${turnId}.`, { field: 'turnId' });
      if (before.state === 'succeeded' || before.state === 'failed' || before.state === 'cancelled') {
        throw new TurnError('turn_finished', `Turn ${turnId} has already finished (${before.state}).`);
      }
      // The flag covers a turn picked up between here and its first event; the message reaches a running one.
      const msg = cancelMessage(turnId, by);
      await requestCancel(redis, keyPrefix, msg, retention);
      if (job && before.state === 'queued') {
        let removed = false;
        try {
          removed = (await queue.remove(turnId)) === 1;
        } catch {
          removed = false; // locked: a worker took it meanwhile and will see the flag
        }
        if (removed) {
          await appendTurnEvent(redis, keyPrefix, turnId, { type: 'turn-cancelled', by: msg.by }, retention);
          return (
            (await infoFrom(turnId, undefined, {
              ref: job.data.model.ref,
              modelId: job.data.model.modelId,
              submittedAt: job.data.submittedAt,
              fingerprint: job.data.fingerprint ?? '',
            })) ?? before
          );
        }
      }
      return { ...before };
    },

    subscribeTurn(turnId, subOpts = {}) {
      checkTurnId(turnId);
      subscriber ??= redis.duplicate();
      return followTurn<TurnEvent>({ redis, subscriber, keyPrefix, turnId, after: subOpts.after ?? 0, signal: subOpts.signal });
    },

    async queueCounts() {
      return queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    },

    listTurns: (query) => listTurns(redis, keyPrefix, query),
    listHosts: () => listHosts(redis, keyPrefix),

    async modelMinutes(windowMinutes) {
      if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 60)
        throw new TurnError('invalid_request', 'windowMinutes must be an integer 1-60.', { field: 'windowMinutes' });
      return readModelMinutes(redis, keyPrefix, windowMinutes);
    },

    close: (() => {
      let closing: Promise<void> | undefined;
      return () => {
        closing ??= (async () => {
          await Promise.allSettled([queue.close(), subscriber?.quit()]);
        })();
        return closing;
      };
    })(),
  };
  return client;
}
