import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { planOutputTokens } from '@turnpool/bedrock';
import {
  TurnError,
  estimateInputTokens,
  type Logger,
  type ResolvedModel,
  type TurnEventBody,
  type TurnJobData,
  type TurnSummary,
} from '@turnpool/protocol';
import { createAdmission, quotaKeyOf, type AdmissionControl, type Lease, type QuotaBudget } from '@turnpool/quota';
import { appendTurnEvent, encodeJobFailure, type TurnOutcome } from '@turnpool/turn-store';
import { movableErrorCodes } from '@turnpool/turn-store/runner';

/** Admission settings of a worker host (config `bedrock.admission` and `bedrock.quotas`). */
export interface TurnAdmissionOptions {
  /** Budgets by model id, profile id or `amazon-bedrock/<id>`. */
  quotas: Readonly<Record<string, QuotaBudget>>;
  /** Longest wait for turns whose job carries none. */
  maxWaitMs: number;
  leaseTtlMs: number;
}

/** An admitted attempt: the model it runs on and its claim on the budget. */
export interface Admitted {
  model: ResolvedModel;
  lease: Lease;
  budget: QuotaBudget;
  /** More models remain after this one. */
  hasFallback: boolean;
}

type Progress = NonNullable<TurnJobData['admission']>;

/** Longest sleep between two looks at the budget: a finishing call wakes the head sooner. */
const maxSleepMs = 5000;

function budgetFor(quotas: TurnAdmissionOptions['quotas'], model: ResolvedModel): QuotaBudget {
  return quotas[model.modelId] ?? quotas[`amazon-bedrock/${model.modelId}`] ?? quotas[model.ref] ?? {};
}

/**
 * Input estimate + the `maxTokens` the call will send: what Bedrock reserves against TPM. Planned,
 * not built: building the request here would decode every image and document on the host's
 * main thread at each look at the budget.
 */
function reservationFor(data: TurnJobData, model: ResolvedModel): number {
  return estimateInputTokens(data.request) + planOutputTokens(data.request, model, true).maxTokens;
}

/** Tokens a finished call counted against TPM, as Bedrock settles it. */
function usedTokens(summary: TurnSummary, budget: QuotaBudget): number {
  const u = summary.usage;
  // Cache reads are reserved at the start and released at the end (they do not count against TPM).
  return u.inputTokens + (u.cacheWriteInputTokens ?? 0) + u.outputTokens * (budget.outputBurndown ?? 1);
}

/**
 * The worker host's side of fleet-wide admission. Before a turn calls Bedrock it takes a lease
 * on its model's shared budget; a turn that does not fit waits as a delayed job (keeping its
 * place in the model's line, holding no worker slot, burning no attempt), moves to its next
 * fallback model, or ends with `rate_limited` when `maxWaitMs` runs out. After the call the lease
 * is settled with the real usage, and the turns that fit now are woken.
 */
export class TurnAdmission {
  private readonly control: AdmissionControl;
  private readonly live = new Map<string, Lease>();
  private readonly renewTimer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly queue: Queue,
    private readonly keyPrefix: string,
    private readonly streamTtlSeconds: number,
    private readonly opts: TurnAdmissionOptions,
    private readonly log: Logger | undefined,
  ) {
    this.control = createAdmission({ redis, keyPrefix, leaseTtlMs: opts.leaseTtlMs });
    this.renewTimer = setInterval(
      () => {
        this.control
          .renew([...this.live.values()])
          .catch((err: unknown) =>
            log?.warn({ err: { message: (err as Error).message } }, 'could not renew quota leases (they expire on their own)'),
          );
      },
      Math.max(1000, Math.floor(opts.leaseTtlMs / 3)),
    );
    this.renewTimer.unref();
  }

  /**
   * Admits the job on its current model, or moves it on: throws BullMQ's DelayedError after
   * putting the job back to wait, or UnrecoverableError after publishing its terminal event.
   */
  async admit(job: Job<TurnJobData, TurnSummary>, token: string | undefined): Promise<Admitted> {
    const data = job.data;
    const models = [data.model, ...(data.fallbacks ?? [])];
    const maxWaitMs = data.maxWaitMs ?? this.opts.maxWaitMs;
    let progress: Progress = data.admission ?? { modelIndex: 0 };
    for (let i = progress.modelIndex; i < models.length; i++) {
      const model = models[i] as ResolvedModel;
      const hasFallback = i + 1 < models.length;
      const quotaKey = quotaKeyOf(model.region, model.modelId);
      const budget = budgetFor(this.opts.quotas, model);
      const need = reservationFor(data, model);
      const now = Date.now();
      const since = progress.waitingSince ?? now;
      const deadline = since + maxWaitMs;
      const r = await this.control.acquire(quotaKey, budget, need, data.turnId);
      if (r.status === 'admitted') {
        if (data.admission !== undefined && (progress.modelIndex !== data.admission.modelIndex || progress.announced)) {
          try {
            // The wait clock keeps running: a call throttled again waits only what is left of
            // maxWaitMs (restarting it here let a turn throttled on every call wait forever).
            await job.updateData({
              ...data,
              admission: { modelIndex: i, ...(progress.waitingSince === undefined ? {} : { waitingSince: progress.waitingSince }) },
            });
          } catch (err) {
            // The call will not run: give the reservation back (when Redis is away, the lease expires on its own).
            await this.control.settle(r.lease, budget, { usedTokens: 0, outcome: 'failed' }).catch(() => {});
            throw err;
          }
        }
        this.live.set(r.lease.id, r.lease);
        return { model, lease: r.lease, budget, hasFallback };
      }
      if (r.status === 'wait' && now < deadline && (now + r.etaMs <= deadline || !hasFallback)) {
        if (!progress.announced) {
          await this.publish(data.turnId, {
            type: 'turn-waiting',
            reason: r.reason,
            quotaKey,
            position: r.position,
            etaMs: r.etaMs,
            deadline,
          });
        }
        await job.updateData({ ...data, admission: { modelIndex: i, waitingSince: since, announced: true } });
        await this.sleep(job, token, Math.min(Math.max(r.etaMs, 20), maxSleepMs, deadline - now));
      }
      await this.control.leave(quotaKey, data.turnId);
      const reason = r.status === 'daily' ? 'daily_quota' : r.status === 'too_large' ? 'too_large' : 'wait_timeout';
      if (hasFallback) {
        const next = models[i + 1] as ResolvedModel;
        await this.publish(data.turnId, { type: 'turn-fallback', from: model.ref, to: next.ref, reason });
        progress = { modelIndex: i + 1 };
        await job.updateData({ ...data, admission: progress });
        continue;
      }
      throw await this.fail(
        data.turnId,
        r.status === 'too_large'
          ? new TurnError(
              'invalid_request',
              `The call would reserve ${need} tokens (input + maxTokens), more than the ${r.tpm} tokens per minute quota of ${quotaKey}: lower inferenceConfig.maxTokens.`,
              { field: 'inferenceConfig.maxTokens' },
            )
          : r.status === 'daily'
            ? new TurnError(
                'rate_limited',
                `The daily token quota of ${quotaKey} is spent; it frees in ${Math.ceil(r.etaMs / 60_000)} min (UTC midnight).`,
              )
            : new TurnError(
                'rate_limited',
                `Not admitted within ${maxWaitMs} ms: ${quotaKey} is at its ${r.status === 'wait' ? r.reason : ''} quota (fleet-wide admission). Retry later or configure fallbacks.`,
              ),
      );
    }
    throw await this.fail(data.turnId, new TurnError('internal', 'The turn has no model left to try.'));
  }

  /**
   * Settles the attempt's lease and decides what a failure that admission owns means: a throttle
   * sends the turn back to wait (or to its next model), an unavailable model to its next model.
   * Returns normally when the host should handle `result` as usual.
   */
  async finish(
    job: Job<TurnJobData, TurnSummary>,
    token: string | undefined,
    admitted: Admitted,
    result: TurnOutcome | undefined,
  ): Promise<void> {
    const throttled = result?.status === 'failed' && result.error.code === 'rate_limited';
    const used = result?.status === 'succeeded' ? usedTokens(result.summary, admitted.budget) : throttled ? 0 : admitted.lease.reserved;
    this.live.delete(admitted.lease.id);
    try {
      const wake = await this.control.settle(admitted.lease, admitted.budget, {
        usedTokens: used,
        outcome: result?.status === 'succeeded' ? 'ok' : throttled ? 'throttled' : 'failed',
      });
      for (const turnId of wake) {
        // A woken turn that is not delayed (already running, or gone) has nothing to promote.
        // Best effort, not awaited: a promote that fails (Redis away, the job just moved) leaves
        // the turn delayed until its own timer, which is where it would be without the wake.
        this.queue
          .getJob(turnId)
          .then((j) => j?.promote())
          .catch(() => {});
      }
    } catch (err) {
      this.log?.warn({ err: { message: (err as Error).message } }, 'could not settle a quota lease (it expires on its own)');
    }
    if (result?.status !== 'failed' || result.terminal || !movableErrorCodes.has(result.error.code)) return;
    const data = job.data;
    const index = data.admission?.modelIndex ?? 0;
    if (admitted.hasFallback) {
      const next = (data.fallbacks ?? [])[index] as ResolvedModel;
      await this.publish(data.turnId, {
        type: 'turn-fallback',
        from: admitted.model.ref,
        to: next.ref,
        reason: throttled ? 'throttled' : 'model_unavailable',
      });
      await job.updateData({ ...data, admission: { modelIndex: index + 1 } });
      await this.sleep(job, token, 0);
    }
    if (!throttled) return; // no model left: the host handles the failure as usual
    // A throttle despite admission (the quota is shared with other callers): wait again, within maxWaitMs.
    const now = Date.now();
    const since = data.admission?.waitingSince ?? now;
    const deadline = since + (data.maxWaitMs ?? this.opts.maxWaitMs);
    if (now >= deadline)
      throw await this.fail(
        data.turnId,
        new TurnError('rate_limited', `Bedrock throttled ${admitted.model.ref} and the turn's maxWaitMs ran out: ${result.error.message}`),
      );
    await this.publish(data.turnId, {
      type: 'turn-waiting',
      reason: 'throttled',
      quotaKey: admitted.lease.quotaKey,
      position: 1,
      etaMs: 1000,
      deadline,
    });
    await job.updateData({ ...data, admission: { modelIndex: index, waitingSince: since, announced: true } });
    await this.sleep(job, token, Math.min(1000 + Math.floor(Math.random() * 500), deadline - now));
  }

  close(): void {
    clearInterval(this.renewTimer);
  }

  private async publish(turnId: string, body: TurnEventBody): Promise<void> {
    await appendTurnEvent(this.redis, this.keyPrefix, turnId, body, this.streamTtlSeconds);
  }

  /** Puts the job back as delayed (no attempt used, no slot held) and ends this processing. */
  private async sleep(job: Job, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.max(0, ms), token);
    throw new DelayedError();
  }

  private async fail(turnId: string, error: TurnError): Promise<Error> {
    await this.publish(turnId, { type: 'turn-error', ...error.toJSON() });
    return encodeJobFailure(error.toJSON(), true);
  }
}
