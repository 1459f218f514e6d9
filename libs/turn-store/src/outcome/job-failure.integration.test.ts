import { afterAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { TurnErrorData } from '@turnpool/protocol';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import { decodeJobFailure, encodeJobFailure } from './job-failure.ts';

describe('encodeJobFailure / decodeJobFailure through a real BullMQ failed job', () => {
  const prefix = uniquePrefix('job-failure');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const connection = redis.duplicate({ maxRetriesPerRequest: null });
  const queue = new Queue('turns', { connection, prefix: turnKeys(prefix).queuePrefix });
  const events = new QueueEvents('turns', { connection: { url: testRedisUrl() } as never, prefix: turnKeys(prefix).queuePrefix });
  const failures = new Map<string, TurnErrorData>();
  let worker: Worker | undefined;

  afterAll(async () => {
    await worker?.close();
    await Promise.all([queue.close(), events.close()]);
    await cleanupPrefix(redis, prefix);
    connection.disconnect();
    redis.disconnect();
  });

  /** Adds a job with 3 attempts whose processor throws what `fail(job)` encodes; resolves with the failed job. */
  async function failOnce(id: string): Promise<Job> {
    await events.waitUntilReady();
    const failed = new Promise<void>((resolve) => {
      const onFailed = ({ jobId }: { jobId: string }) => {
        if (jobId !== id) return;
        events.off('failed', onFailed);
        resolve();
      };
      events.on('failed', onFailed);
    });
    await queue.add('turn', {}, { jobId: id, attempts: 3, backoff: { type: 'fixed', delay: 10 } });
    await failed;
    return (await queue.getJob(id)) as Job;
  }

  it('a final failure ends the job at once; the reason reads back as the same error, field included', async () => {
    const error: TurnErrorData = {
      code: 'invalid_request',
      message: 'messages[0].role must be user',
      retryable: false,
      field: 'messages[0].role',
    };
    failures.set('final', error);
    worker ??= new Worker(
      'turns',
      async (job) => {
        const data = failures.get(job.id as string) as TurnErrorData;
        throw encodeJobFailure(data, job.id === 'final' || job.attemptsMade >= 1);
      },
      { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix: turnKeys(prefix).queuePrefix },
    );
    const job = await failOnce('final');
    expect(job.attemptsMade).toBe(1);
    expect(decodeJobFailure(job.failedReason)).toEqual(error);
  });

  it('a retryable failure lets BullMQ retry; the last reason reads back as the error', async () => {
    const error: TurnErrorData = { code: 'rate_limited', message: 'slow down', retryable: true };
    failures.set('retry', error);
    const job = await failOnce('retry');
    expect(job.attemptsMade).toBe(2);
    expect(decodeJobFailure(job.failedReason)).toEqual(error);
  });

  it("BullMQ's own text reasons read as worker_lost", () => {
    expect(decodeJobFailure('job stalled more than allowable limit')).toEqual({
      code: 'worker_lost',
      message: 'The turn failed outside a worker thread: job stalled more than allowable limit',
      retryable: true,
    });
    expect(decodeJobFailure(undefined).code).toBe('worker_lost');
    expect(decodeJobFailure('{"code":42}').code).toBe('worker_lost');
    expect(decodeJobFailure('{"code":"no_such_code","message":"m"}')).toMatchObject({ code: 'internal', message: 'm' });
  });
});
