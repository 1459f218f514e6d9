import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import type { ResolvedModel, TurnEvent } from '@turnpool/protocol';
import { createTurnClient, type TurnClient } from '@turnpool/turn-store/client';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { startWorkerHost, type WorkerHost } from './start-worker-host.ts';

const haiku: ResolvedModel = {
  ref: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  baseModelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text'],
  supportsPromptCache: true,
};

// ServiceQuotaExceededException is an account quota, not a momentary throttle: retrying cannot
// help, so the worker must end the turn at once instead of spending BullMQ's three attempts.
describe('worker host: ServiceQuotaExceededException from Bedrock (emulator)', () => {
  let emulator: EmulatorHandle;
  let redis: Redis;
  let host: WorkerHost;
  let client: TurnClient;
  const prefix = uniquePrefix('worker-quota');
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDQUOTATEST', AWS_SECRET_ACCESS_KEY: 'quota-test-secret', AWS_REGION: 'us-east-1' });
    delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
    delete process.env['AWS_PROFILE'];
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    host = await startWorkerHost({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      maxThreads: 1,
      bedrockEndpoint: emulator.url,
      shutdownGraceMs: 2000,
    });
    // The production default: 3 attempts. A short backoff so a wrong retry would show up quickly.
    client = createTurnClient({ redis, keyPrefix: prefix, attempts: 3, backoffMs: 20, resolveModel: async () => haiku });
  });
  afterAll(async () => {
    await client?.close();
    await host?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    await emulator?.close();
    process.env = saved;
  });

  it('ends the turn with quota_exceeded (not retryable) after one Bedrock call, though a retry would have succeeded', async () => {
    const before = emulator.stats().calls.ConverseStream;
    // Only the first call with this request is refused: a retry (SDK or BullMQ) would succeed.
    const { turnId } = await client.submitTurn({
      model: haiku.ref,
      messages: [{ role: 'user', content: [{ text: '[[fail-calls 1 ServiceQuotaExceededException]] [[tokens 5]]' }] }],
    });
    const events: TurnEvent[] = [];
    for await (const e of client.subscribeTurn(turnId)) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['turn-start', 'turn-error']);
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'turn-error', code: 'quota_exceeded', retryable: false, attempt: 1 });
    expect(end?.type === 'turn-error' ? end.message : '').toContain('Service Quotas console');
    expect(emulator.stats().calls.ConverseStream - before).toBe(1);
    expect(await client.getTurn(turnId)).toMatchObject({ state: 'failed', attempt: 1, error: { code: 'quota_exceeded' } });
  });
});
