import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnEvent } from '@turnpool/protocol';
import { cleanupPrefix, noAwsCredentialsEnv, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { createCatalogModelResolver, createTurnClient, type TurnClient } from '@turnpool/turn-store/client';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import { captureIo } from '../commands/cli-test-support.ts';
import { openStack, type StackContext } from './open-stack.ts';
import { workerOptionsFromStack } from './worker-options-from-stack.ts';

describe('a stack in emulator mode hands the emulator to the worker host through its options', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'turnpool-stack-'));
  const prefix = uniquePrefix('stackemu');
  // Frozen: openStack writing the emulator's URL or token into the env would throw here.
  const env: NodeJS.ProcessEnv = Object.freeze({
    ...noAwsCredentialsEnv,
    HOME: home,
    TURNPOOL_CONFIG: '',
    REDIS_URL: testRedisUrl(),
    TURNPOOL_KEY_PREFIX: prefix,
    AWS_REGION: 'us-east-1',
  });
  const io = captureIo(env, home);
  let stack: StackContext;
  let host: WorkerHost;
  let client: TurnClient;

  beforeAll(async () => {
    stack = await openStack(io, { emulator: 'always' });
    host = await startWorkerHost({ ...workerOptionsFromStack(stack), minThreads: 1, maxThreads: 1, shutdownGraceMs: 2000 });
    client = createTurnClient({
      redis: stack.redis,
      keyPrefix: prefix,
      attempts: 1,
      resolveModel: createCatalogModelResolver({ catalog: stack.catalog, defaultModel: stack.defaultModel, region: 'us-east-1' }),
    });
  });
  afterAll(async () => {
    await client?.close();
    await host?.close();
    if (stack) await cleanupPrefix(stack.redis, prefix);
    await stack?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the options carry the emulator URL and a token env; a worker thread calls that emulator; neither env was written', async () => {
    const emulator = stack.emulator!;
    const options = workerOptionsFromStack(stack);
    expect(options.bedrockEndpoint).toBe(emulator.url);
    expect(options.env?.['AWS_BEARER_TOKEN_BEDROCK']).not.toBe('');
    expect(env['TURNPOOL_BEDROCK_ENDPOINT']).toBe('');
    expect(process.env['TURNPOOL_BEDROCK_ENDPOINT']).not.toBe(emulator.url);
    const before = emulator.stats().calls.ConverseStream;
    const { turnId } = await client.submitTurn({ messages: [{ role: 'user', content: [{ text: '[[say through the stack]]' }] }] });
    const events: TurnEvent[] = [];
    for await (const e of client.subscribeTurn(turnId)) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: 'turn-end' });
    expect(
      events
        .filter((e) => e.type === 'text-delta')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('through the stack');
    expect(emulator.stats().calls.ConverseStream - before).toBe(1);
  });
});
