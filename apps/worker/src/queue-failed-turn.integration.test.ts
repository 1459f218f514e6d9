import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ResolvedModel, TurnEvent } from '@turnpool/protocol';
import { turnKeys } from '@turnpool/turn-store';
import { createTurnClient } from '@turnpool/turn-store/client';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { startWorkerHost, type WorkerHost } from './start-worker-host.ts';

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

describe('a turn that BullMQ fails on its own still ends with one terminal event', () => {
  const prefix = uniquePrefix('qfail');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  let host: WorkerHost | undefined;
  let hung: Worker | undefined;

  afterAll(async () => {
    await hung?.close(true);
    await host?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a turn stalled beyond maxStalledCount gets turn-error worker_lost', async () => {
    const client = createTurnClient({ redis, keyPrefix: prefix, resolveModel: async () => model });
    // A "host" that takes the turn and then dies without a trace: it never finishes and stops renewing its lock.
    let taken!: () => void;
    const active = new Promise<void>((r) => (taken = r));
    hung = new Worker(
      'turns',
      () => {
        taken();
        return new Promise(() => {});
      },
      {
        connection: redis.duplicate({ maxRetriesPerRequest: null }),
        prefix: turnKeys(prefix).queuePrefix,
        lockDuration: 1000,
        skipStalledCheck: true,
        skipLockRenewal: true,
      },
    );
    const { turnId } = await client.submitTurn({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    await active;
    await hung.close(true);
    hung = undefined;

    host = await startWorkerHost({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      maxThreads: 1,
      maxStalledCount: 0,
      stalledIntervalMs: 300,
      lockDurationMs: 1000,
    });
    const events: TurnEvent[] = [];
    for await (const e of client.subscribeTurn(turnId)) events.push(e);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'turn-error', code: 'worker_lost', retryable: true, seq: 1 });
    expect((await client.getTurn(turnId))?.state).toBe('failed');
    await client.close();
  }, 30_000);
});
