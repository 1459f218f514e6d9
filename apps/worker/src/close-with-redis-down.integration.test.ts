import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import type { ResolvedModel } from '@turnpool/protocol';
import { createTurnClient } from '@turnpool/turn-store/client';
import { startRedisServer, uniquePrefix, type OwnRedisServer } from '@turnpool/testing';
import { startWorkerHost } from './start-worker-host.ts';

const haiku: ResolvedModel = {
  ref: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  baseModelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text', 'image'],
  supportsPromptCache: true,
};

/** The close() outcome, or 'still closing' once `ms` passed: a bound for "it ends", not a speed measure. */
async function closeOutcome(close: () => Promise<void>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('still closing'), ms);
  });
  const closed = close().then(
    () => 'closed',
    (err: unknown) => (err as Error).message,
  );
  const outcome = await Promise.race([closed, late]);
  clearTimeout(timer);
  return outcome;
}

describe('worker host close() with Redis unreachable', () => {
  let server: OwnRedisServer;
  let emulator: EmulatorHandle;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startRedisServer();
    emulator = await startEmulator({ ttftMs: 5, tokensPerSecond: 20, tokensPerChunk: 1 });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDSTOPTEST', AWS_SECRET_ACCESS_KEY: 'stop-test-secret', AWS_REGION: 'us-east-1' });
    delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
    delete process.env['AWS_PROFILE'];
  });

  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    process.env = saved;
  });

  it('ends by shutdownGraceMs and rejects naming the running turn it gave up and the last Redis error', async () => {
    const prefix = uniquePrefix('stopdown');
    const host = await startWorkerHost({
      redisUrl: server.url,
      keyPrefix: prefix,
      inline: true,
      shutdownGraceMs: 1500,
      bedrockEndpoint: emulator.url,
    });
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const client = createTurnClient({ redis, keyPrefix: prefix, resolveModel: async () => haiku });
    try {
      const { turnId } = await client.submitTurn({
        model: haiku.ref,
        messages: [{ role: 'user', content: [{ text: 'slow [[tokens 400]]' }] }],
      });
      for await (const e of client.subscribeTurn(turnId)) if (e.type === 'text-delta') break;
      expect(host.running).toBe(1);
      await server.stop();
      expect(await closeOutcome(() => host.close(), 20_000)).toMatch(
        /^gave up on the queue \(1 running turn, results not written\).* at the end of the 1\.5 s grace period \(last Redis error: .+\)$/,
      );
      // Safe to call twice: the same outcome, at once.
      expect(await closeOutcome(() => host.close(), 1000)).toMatch(/^gave up on the queue/);
    } finally {
      // Let BullMQ's own reconnect loops find Redis again and end.
      await server.start();
      await client.close();
      redis.disconnect();
    }
  }, 60_000);
});
