import { afterAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ResolvedModel, TurnJobData, TurnSummary } from '@turnpool/protocol';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { appendTurnEvent } from '../event-log/append-turn-event.ts';
import { encodeJobFailure } from '../outcome/job-failure.ts';
import { cancelledError } from '../outcome/turn-outcome.ts';
import { turnKeys } from '../turn-keys.ts';
import { readTurnInfo } from './read-turn-info.ts';

const model: ResolvedModel = {
  ref: 'amazon-bedrock/amazon.nova-micro-v1:0',
  modelId: 'amazon.nova-micro-v1:0',
  baseModelId: 'amazon.nova-micro-v1:0',
  provider: 'amazon',
  region: 'us-east-1',
  contextWindow: 128_000,
  maxTokens: 5000,
  reasoning: false,
  input: ['text'],
  supportsPromptCache: false,
};
const data = (turnId: string): TurnJobData => ({
  turnId,
  request: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] },
  model,
  submittedAt: 1_764_000_000_000,
});

describe('readTurnInfo: one state from the event log, the job and the record', () => {
  const prefix = uniquePrefix('turn-info');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queue = new Queue<TurnJobData, TurnSummary>('turns', {
    connection: redis.duplicate({ maxRetriesPerRequest: null }),
    prefix: turnKeys(prefix).queuePrefix,
  });
  const events = new QueueEvents('turns', { connection: { url: testRedisUrl() } as never, prefix: turnKeys(prefix).queuePrefix });
  let worker: Worker | undefined;

  afterAll(async () => {
    await worker?.close();
    await Promise.all([queue.close(), events.close()]);
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  const job = async (id: string) => (await queue.getJob(id)) as Job<TurnJobData, TurnSummary>;

  it('unknown is null; a record alone answers its model; a queued job is queued', async () => {
    expect(await readTurnInfo(redis, prefix, 'nobody', undefined)).toBeNull();
    await redis.hset(turnKeys(prefix).record('rec'), { ref: model.ref, modelId: model.modelId, submittedAt: '5', fingerprint: 'f' });
    expect(await readTurnInfo(redis, prefix, 'rec', undefined)).toMatchObject({
      state: 'queued',
      model: { ref: model.ref, modelId: model.modelId },
      submittedAt: 5,
      lastSeq: 0,
    });
    await queue.add('turn', data('waiting'), { jobId: 'waiting' });
    expect(await readTurnInfo(redis, prefix, 'waiting', await job('waiting'))).toMatchObject({
      state: 'queued',
      attempt: 0,
      submittedAt: 1_764_000_000_000,
    });
  });

  it('a failed job without a terminal event reads its encoded failure; cancelled reads as cancelled', async () => {
    await events.waitUntilReady();
    const failed = (id: string) =>
      new Promise<void>((resolve) => {
        const on = ({ jobId }: { jobId: string }) => {
          if (jobId === id) {
            events.off('failed', on);
            resolve();
          }
        };
        events.on('failed', on);
      });
    worker = new Worker(
      'turns',
      async (j) => {
        if (j.id === 'waiting') return undefined;
        throw j.id === 'cancelled-job'
          ? encodeJobFailure(cancelledError('ops'), true)
          : encodeJobFailure({ code: 'quota_exceeded', message: 'daily tokens', retryable: false }, true);
      },
      { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix: turnKeys(prefix).queuePrefix },
    );
    const a = failed('failed-job');
    const b = failed('cancelled-job');
    await queue.add('turn', data('failed-job'), { jobId: 'failed-job', attempts: 3 });
    await queue.add('turn', data('cancelled-job'), { jobId: 'cancelled-job', attempts: 3 });
    await Promise.all([a, b]);
    expect(await readTurnInfo(redis, prefix, 'failed-job', await job('failed-job'))).toMatchObject({
      state: 'failed',
      error: { code: 'quota_exceeded', message: 'daily tokens', retryable: false },
      finishedAt: expect.any(Number),
    });
    expect(await readTurnInfo(redis, prefix, 'cancelled-job', await job('cancelled-job'))).toMatchObject({
      state: 'cancelled',
      error: { code: 'cancelled', message: 'cancelled by ops' },
    });
  });

  it('the terminal event decides over the job', async () => {
    expect(
      await appendTurnEvent(
        redis,
        prefix,
        'failed-job',
        { type: 'turn-error', code: 'internal', message: 'from the log', retryable: false },
        60,
      ),
    ).toBe(true);
    expect(await readTurnInfo(redis, prefix, 'failed-job', await job('failed-job'))).toMatchObject({
      state: 'failed',
      error: { code: 'internal', message: 'from the log' },
      lastSeq: 1,
      attempt: 1,
    });
    expect(await appendTurnEvent(redis, prefix, 'failed-job', { type: 'turn-cancelled', by: 'late' }, 60)).toBe(false);
  });
});
