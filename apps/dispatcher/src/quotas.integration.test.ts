import { BedrockClient } from '@aws-sdk/client-bedrock';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { createCatalog } from '@turnpool/discovery';
import { createAdmission, type Lease } from '@turnpool/quota';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher, type RunningDispatcher } from './start-dispatcher.ts';

describe('GET /v1/quotas and the quota gauges (admission state in a real Redis, loopback HTTP)', () => {
  const prefix = uniquePrefix('dispatch-quotas');
  const key = 'us-east-1/amazon.nova-pro-v1:0';
  const budget = { rpm: 100, tpm: 1000 };
  const apiKey = 'quota-test-key';
  let emulator: EmulatorHandle;
  let redis: Redis;
  let control: BedrockClient;
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
    const catalog = createCatalog({ redis, control, keyPrefix: prefix, region: 'us-east-1', credentialsIdentity: 'quotas-test' });
    d = await startDispatcher({ redisUrl: testRedisUrl(), keyPrefix: prefix, catalog, region: 'us-east-1', port: 0, apiKeys: [apiKey] });
  });
  afterAll(async () => {
    await d?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    control.destroy();
    await emulator.close();
  });

  const get = (path: string, auth = true) => fetch(`${d.url}${path}`, auth ? { headers: { authorization: `Bearer ${apiKey}` } } : {});

  it('answers an empty list before any host used a key', async () => {
    const res = await get('/v1/quotas');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ quotas: [] });
    expect(await (await get('/metrics')).text()).not.toContain('turnpool_quota_in_flight{');
  });

  it('needs the API key like the other routes', async () => {
    const res = await get('/v1/quotas', false);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('shows per key what hosts admitted, reserved, queued and were throttled on, in the route and in /metrics', async () => {
    // What worker hosts do, on this dispatcher's key prefix: two calls admitted, a third waits on TPM.
    const admission = createAdmission({ redis, keyPrefix: prefix });
    const admit = async (turn: string): Promise<Lease> => {
      const r = await admission.acquire(key, budget, 300, turn);
      if (r.status !== 'admitted') throw new Error(`${turn} was not admitted: ${r.status}`);
      return r.lease;
    };
    const first = await admit('t1');
    await admit('t2');
    await admit('t3');
    expect(await admission.acquire(key, budget, 300, 't4')).toMatchObject({ status: 'wait', reason: 'tpm' });
    // One call comes back throttled: the fleet learns a concurrency below the 3 in flight.
    await admission.settle(first, budget, { usedTokens: 0, outcome: 'throttled' });

    const res = await get('/v1/quotas');
    expect(res.status).toBe(200);
    const { quotas } = (await res.json()) as {
      quotas: {
        quotaKey: string;
        configured: object;
        learnedConcurrency: number | null;
        inFlight: number;
        reservedTokens: number;
        waiting: number;
        throttlesLastMinute: number;
      }[];
    };
    expect(quotas).toHaveLength(1);
    const q = quotas[0];
    expect(q).toMatchObject({
      quotaKey: key,
      configured: { rpm: 100, tpm: 1000 },
      inFlight: 2,
      reservedTokens: 600,
      waiting: 1,
      throttlesLastMinute: 1,
    });
    expect(q?.learnedConcurrency).toBe(2); // floor(3 in flight × 0.7)

    const text = await (await get('/metrics')).text();
    const label = `{quota_key="${key}"}`;
    expect(text).toContain(`turnpool_quota_in_flight${label} 2`);
    expect(text).toContain(`turnpool_quota_reserved_tokens${label} 600`);
    expect(text).toContain(`turnpool_quota_waiting_turns${label} 1`);
    expect(text).toContain(`turnpool_quota_throttles_last_minute${label} 1`);
    expect(text).toContain(`turnpool_quota_learned_concurrency${label} 2`);
    expect(text).toContain(`turnpool_quota_configured_rpm${label} 100`);
    expect(text).toContain(`turnpool_quota_configured_tpm${label} 1000`);
  });
});
