import { BedrockClient } from '@aws-sdk/client-bedrock';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { createCatalog } from '@turnpool/discovery';
import type { Catalog } from '@turnpool/protocol';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, type RunningDispatcher } from './start-dispatcher.ts';

describe('models marked unavailable by a worker (real catalog in Redis, emulator, loopback HTTP)', () => {
  const prefix = uniquePrefix('dispatch-marks');
  const model = 'amazon.nova-pro-v1:0';
  let emulator: EmulatorHandle;
  let redis: Redis;
  let control: BedrockClient;
  let dispatcherCatalog: Catalog;
  let workerCatalog: Catalog;
  let d: RunningDispatcher;

  beforeAll(async () => {
    emulator = await startEmulator();
    redis = new Redis(testRedisUrl());
    control = new BedrockClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    });
    const common = { redis, control, keyPrefix: prefix, region: 'us-east-1', credentialsIdentity: 'marks-test', localTtlMs: 0 };
    dispatcherCatalog = createCatalog(common);
    workerCatalog = createCatalog({ ...common, unavailableTtlSeconds: 120 });
    d = await startDispatcher({ redisUrl: testRedisUrl(), keyPrefix: prefix, catalog: dispatcherCatalog, region: 'us-east-1', port: 0 });
  });
  afterAll(async () => {
    await d?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    control.destroy();
    await emulator.close();
  });

  const post = (body: unknown) =>
    fetch(`${d.url}/v1/turns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const turn = { model: `amazon-bedrock/${model}`, messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
  const metrics = async () => (await fetch(`${d.url}/metrics`)).text();

  it('answers 422 saying when the mark expires and how to clear it, counts the mark in /metrics, and accepts again after `models refresh`', async () => {
    expect((await post(turn)).status).toBe(202);
    expect(await metrics()).not.toContain(`turnpool_models_unavailable{model="${model}"}`);

    const before = Date.now();
    await workerCatalog.markUnavailable(model, 'AccessDeniedException: You do not have access to the model');
    const refused = await post(turn);
    expect(refused.status).toBe(422);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('model_unavailable');
    expect(error.message).toContain('AccessDeniedException');
    const expiresAt = /expires at (\S+) \(in (\d+) s\)/.exec(error.message);
    expect(expiresAt).not.toBeNull();
    const until = Date.parse(expiresAt?.[1] ?? '');
    expect(until).toBeGreaterThanOrEqual(before + 120_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(error.message).toContain('`turnpool models refresh` clears it now');

    const text = await metrics();
    expect(text).toContain(`turnpool_models_unavailable{model="${model}"} 1`);
    expect(text).toContain(`turnpool_model_unavailable_marks_total{model="${model}"} 1`);
    // A second scrape of the same mark does not count it again.
    expect(await metrics()).toContain(`turnpool_model_unavailable_marks_total{model="${model}"} 1`);

    await dispatcherCatalog.refresh(); // what `turnpool models refresh` runs
    expect((await post(turn)).status).toBe(202);
    expect(await metrics()).not.toContain(`turnpool_models_unavailable{model="${model}"}`);
  });
});
