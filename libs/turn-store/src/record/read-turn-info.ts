import type { Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { TurnErrorData, TurnEvent, TurnJobData, TurnSummary } from '@turnpool/protocol';
import { isTerminalEvent } from '../event-log/is-terminal-event.ts';
import { lastTurnEvent } from '../event-log/read-last-turn-event.ts';
import { decodeJobFailure } from '../outcome/job-failure.ts';
import { cancelledError, outcomeOfEvent } from '../outcome/turn-outcome.ts';
import { turnKeys } from '../turn-keys.ts';
import type { TurnInfo, TurnState } from './turn-info.ts';

/** What stays of a turn in its record hash for the retention period (written by the claim script). */
export interface TurnRecord {
  ref: string;
  modelId: string;
  submittedAt: number;
  fingerprint: string;
}

/**
 * The turn's record (model, submittedAt, fingerprint) outlives its BullMQ job: a queued turn
 * cancelled at once has no job left, yet still answers getTurn and still holds its id.
 */
export async function readTurnRecord(redis: Redis | Cluster, keyPrefix: string, turnId: string): Promise<TurnRecord | undefined> {
  const h = await redis.hgetall(turnKeys(keyPrefix).record(turnId));
  if (!h['modelId']) return undefined;
  return { ref: h['ref'] ?? '', modelId: h['modelId'], submittedAt: Number(h['submittedAt'] ?? 0), fingerprint: h['fingerprint'] ?? '' };
}

/** The model the turn runs on (or ran on): its primary, or the fallback admission moved it to. */
function servedModel(data: TurnJobData): { ref: string; modelId: string } {
  const m = [data.model, ...(data.fallbacks ?? [])][data.admission?.modelIndex ?? 0] ?? data.model;
  return { ref: m.ref, modelId: m.modelId };
}

/**
 * A turn's state, the one place it is derived. Three stores answer, in this order: the event
 * log's terminal event (the outcome, once there is one), else the BullMQ job's state (queued,
 * running, or a failure no event recorded), else the turn's record (a turn whose job is gone).
 * `null` when none knows the turn. `known` saves the record read when the caller has it.
 */
export async function readTurnInfo(
  redis: Redis | Cluster,
  keyPrefix: string,
  turnId: string,
  job: Job<TurnJobData, TurnSummary> | undefined,
  known?: TurnRecord,
): Promise<TurnInfo | null> {
  const last = await lastTurnEvent<TurnEvent>(redis, keyPrefix, turnId);
  const record = known ?? (job ? undefined : await readTurnRecord(redis, keyPrefix, turnId));
  if (!job && !last && !record) return null;
  let state: TurnState = 'queued';
  let result: TurnSummary | null = null;
  let error: TurnErrorData | null = null;
  let finishedAt: number | null = null;
  const ended = last && isTerminalEvent(last) ? outcomeOfEvent(last) : undefined;
  if (last && ended) {
    finishedAt = last.ts;
    if (ended.status === 'succeeded') {
      state = 'succeeded';
      result = ended.summary;
    } else if (ended.status === 'failed') {
      state = 'failed';
      error = ended.error;
    } else {
      state = 'cancelled';
      error = cancelledError(ended.by);
    }
  } else if (job) {
    const s = await job.getState();
    if (s === 'active') state = 'running';
    else if (s === 'completed') {
      state = 'succeeded';
      result = job.returnvalue ?? null;
      finishedAt = job.finishedOn ?? null;
    } else if (s === 'failed') {
      error = decodeJobFailure(job.failedReason);
      state = error.code === 'cancelled' ? 'cancelled' : 'failed';
      finishedAt = job.finishedOn ?? null;
    } else state = 'queued';
  }
  return {
    turnId,
    state,
    attempt: last?.attempt ?? (job ? (job.attemptsStarted ?? job.attemptsMade) : 0),
    model: job ? servedModel(job.data) : { ref: record?.ref ?? '', modelId: record?.modelId ?? '' },
    submittedAt: job?.data.submittedAt ?? record?.submittedAt ?? job?.timestamp ?? 0,
    finishedAt,
    lastSeq: last?.seq ?? 0,
    result,
    error,
  };
}
