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
  reasoning: false,
  input: ['text'],
  supportsPromptCache: false,
};

// The endpoint and the credentials reach the threads through WorkerHostOptions alone: nothing is
// written into process.env (the CLI used to set TURNPOOL_BEDROCK_ENDPOINT and a token there).
for (const inline of [false, true]) {
  describe(`worker host options bedrockEndpoint and env (${inline ? 'inline' : 'piscina threads'})`, () => {
    let emulator: EmulatorHandle;
    let decoy: EmulatorHandle;
    let redis: Redis;
    let host: WorkerHost;
    let client: TurnClient;
    const prefix = uniquePrefix('hostenv');
    const envBefore = JSON.stringify(process.env);

    beforeAll(async () => {
      [emulator, decoy] = await Promise.all([startEmulator({ ttftMs: 1 }), startEmulator({ ttftMs: 1 })]);
      redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
      host = await startWorkerHost({
        redisUrl: testRedisUrl(),
        keyPrefix: prefix,
        inline,
        minThreads: 1,
        maxThreads: 1,
        shutdownGraceMs: 2000,
        bedrockEndpoint: emulator.url,
        // A copy of the environment with the emulator's token; its endpoint variable names the decoy,
        // which the option must win over.
        env: {
          PATH: process.env['PATH'],
          AWS_BEARER_TOKEN_BEDROCK: 'host-env-test-token',
          AWS_REGION: 'us-east-1',
          AWS_EC2_METADATA_DISABLED: 'true',
          TURNPOOL_BEDROCK_ENDPOINT: decoy.url,
        },
      });
      client = createTurnClient({ redis, keyPrefix: prefix, attempts: 1, resolveModel: async () => haiku });
    });
    afterAll(async () => {
      await client?.close();
      await host?.close();
      await cleanupPrefix(redis, prefix);
      redis.disconnect();
      await Promise.all([emulator?.close(), decoy?.close()]);
    });

    it('the thread calls the endpoint given in options with the credentials of options.env; process.env is untouched', async () => {
      expect(process.env['AWS_BEARER_TOKEN_BEDROCK']).toBeUndefined();
      const { turnId } = await client.submitTurn({
        model: haiku.ref,
        messages: [{ role: 'user', content: [{ text: '[[say hello from options]]' }] }],
      });
      const events: TurnEvent[] = [];
      for await (const e of client.subscribeTurn(turnId)) events.push(e);
      expect(events.at(-1)).toMatchObject({ type: 'turn-end' });
      const text = events
        .filter((e) => e.type === 'text-delta')
        .map((e) => (e as { text: string }).text)
        .join('');
      expect(text).toBe('hello from options');
      expect(emulator.stats().calls.ConverseStream).toBe(1);
      expect(emulator.stats().auth.bearer).toBe(1);
      expect(decoy.stats().calls.ConverseStream).toBe(0);
      expect(JSON.stringify(process.env)).toBe(envBefore);
    });
  });
}
