import { Redis } from 'ioredis';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { createTokenCounter } from '@turnpool/bedrock';
import { detectCredentials } from '@turnpool/credentials';
import { createBedrockClients } from '@turnpool/credentials/clients';
import { createCatalog } from '@turnpool/discovery';
import { startDispatcher, type RunningDispatcher } from '@turnpool/dispatcher';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';

export const haiku = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
export const sonnet = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
export const apiKey = 'compat-test-key-1';

/** A 1×1 PNG. */
export const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export interface CompatStack {
  url: string;
  emulator: EmulatorHandle;
  close(): Promise<void>;
}

/**
 * A whole stack on the emulator for the compat tests: catalog discovered from the emulator, a
 * dispatcher with an API key and aliases (`gpt-4o` → Claude Haiku, `claude-throttled` → Claude
 * Sonnet), one attempt per turn and a short admission wait (so a throttled turn fails
 * `rate_limited` within seconds), count_tokens through the emulator's CountTokens, and a worker host.
 */
export async function startCompatStack(name: string): Promise<CompatStack> {
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIAFAKECOMPATTEST12',
    AWS_SECRET_ACCESS_KEY: 'fake-compat-secret-Zq8vW3xY9tK2',
    AWS_REGION: 'us-east-1',
  };
  const prefix = uniquePrefix(name);
  const saved = { ...process.env };
  const emulator = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
  Object.assign(process.env, env);
  delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
  delete process.env['AWS_PROFILE'];
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const credentials = await detectCredentials({ env, probe: false });
  const { control, runtime } = createBedrockClients({ region: 'us-east-1', endpoint: emulator.url, credentials, env });
  const catalog = createCatalog({
    redis,
    keyPrefix: prefix,
    control,
    region: 'us-east-1',
    credentialsIdentity: credentials.identityHash,
    credentialsPresent: true,
  });
  let dispatcher: RunningDispatcher | undefined;
  let host: WorkerHost | undefined;
  try {
    dispatcher = await startDispatcher({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      catalog,
      region: 'us-east-1',
      port: 0,
      apiKeys: [apiKey],
      attempts: 1,
      maxWaitMs: 1000,
      defaultModel: `amazon-bedrock/${haiku}`,
      countTokens: createTokenCounter(runtime),
      modelAliases: { 'gpt-4o': `amazon-bedrock/${haiku}`, 'claude-throttled': `amazon-bedrock/${sonnet}` },
    });
    host = await startWorkerHost({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      maxThreads: 1,
      bedrockEndpoint: emulator.url,
      shutdownGraceMs: 1000,
    });
  } catch (err) {
    await dispatcher?.close();
    await emulator.close();
    redis.disconnect();
    process.env = saved;
    throw err;
  }
  const running = dispatcher;
  const bedrockRuntime = runtime;
  const worker = host;
  return {
    url: running.url,
    emulator,
    async close() {
      await worker.close();
      await running.close();
      await cleanupPrefix(redis, prefix);
      redis.disconnect();
      bedrockRuntime.destroy();
      await emulator.close();
      process.env = saved;
    },
  };
}
