import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { cleanupPrefix, freePort, testRedisUrl, tsxExecArgv, uniquePrefix } from '@turnpool/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { catalogKeys } from './catalog-keys.ts';
import type { CatalogSnapshot } from '@turnpool/protocol';
import { createCatalog, type CreateCatalogOptions } from './create-catalog.ts';
import { DiscoveryError } from './discovery-error.ts';
import { resolveDiscoverySettings } from './resolve-discovery-settings.ts';
import { startFaultProxy, type FaultProxy } from './test-support/start-fault-proxy.ts';

let emulator: EmulatorHandle;
let redis: Redis;
let prefix: string;
const clients: BedrockClient[] = [];

const controlFor = (endpoint: string) => {
  const c = new BedrockClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
  });
  clients.push(c);
  return c;
};
const calls = () => emulator.stats().calls.ListFoundationModels;
const ids = (s: CatalogSnapshot) => s.entries.map((e) => e.id);

/** A fake clock shared by the catalogs of one test. */
let clock = 1_700_000_000_000;
const now = () => clock;

function catalog(over: Partial<CreateCatalogOptions> = {}) {
  return createCatalog({
    redis,
    control: controlFor(emulator.url),
    keyPrefix: prefix,
    region: 'us-east-1',
    credentialsIdentity: 'test-identity',
    discovery: { refreshInterval: 3600 },
    now,
    pollIntervalMs: 10,
    ...over,
  });
}

beforeAll(async () => {
  emulator = await startEmulator();
  redis = new Redis(testRedisUrl());
});
afterAll(async () => {
  await emulator.close();
  redis.disconnect();
  for (const c of clients) c.destroy();
});
beforeEach(() => {
  prefix = uniquePrefix('catalog');
  emulator.reset();
  clock = 1_700_000_000_000;
});
afterEach(async () => {
  await cleanupPrefix(redis, prefix);
});

describe('shared catalog: discovery through the real SDK against the emulator', () => {
  it('a control client given as a function is asked for only when a fetch needs it (marking a model unavailable needs none)', async () => {
    let built = 0;
    const lazy = catalog({
      control: () => {
        built++;
        return Promise.resolve(controlFor(emulator.url));
      },
    });
    await lazy.markUnavailable('amazon.nova-pro-v1:0', 'AccessDeniedException: not enabled');
    expect(built).toBe(0);
    expect(ids(await lazy.list())).toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(calls()).toBe(1);
    expect(built).toBe(1);
  });

  it('lists streaming text models, profile-only models by profile id, with known limits', async () => {
    const snap = await catalog().list();
    expect(snap.stale).toBe(false);
    expect(ids(snap)).toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids(snap)).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids(snap)).not.toContain('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids(snap)).not.toContain('amazon.titan-embed-text-v2:0');
    expect(ids(snap)).not.toContain('anthropic.claude-3-haiku-20240307-v1:0:48k');
    expect(snap.entries.find((e) => e.id === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({
      contextWindow: 200_000,
      limitsKnown: true,
      reasoning: true,
      baseModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    });
    expect(emulator.stats().calls).toMatchObject({ ListFoundationModels: 1, ListInferenceProfiles: 1 });
  });

  it('includeFiltered returns the left-out models with reasons', async () => {
    const snap = await catalog().list({ includeFiltered: true });
    expect(snap.filtered?.find((f) => f.id === 'amazon.nova-canvas-v1:0')?.reason).toMatch(/not TEXT/);
    expect((await catalog().list()).filtered).toBeUndefined();
  });

  it('caches in Redis: a second catalog (another process) and later reads make no Bedrock call', async () => {
    await catalog().list();
    const other = catalog();
    await other.list();
    await other.get('amazon.nova-pro-v1:0');
    expect(calls()).toBe(1);
  });

  it('keys the cache by region, credential identity and filter', async () => {
    await catalog().list();
    await catalog({ credentialsIdentity: 'someone-else' }).list();
    await catalog({ discovery: { refreshInterval: 3600, providerFilter: ['anthropic'] } }).list();
    expect(calls()).toBe(3);
    const settings = resolveDiscoverySettings({ refreshInterval: 3600 });
    const key = catalogKeys(prefix, 'us-east-1', 'test-identity', settings.filterHash).value;
    expect(key.startsWith(`{${prefix}}:catalog:us-east-1:test-identity:`)).toBe(true);
    expect(await redis.exists(key)).toBe(1);
  });

  it('providerFilter is applied (case-insensitive)', async () => {
    const snap = await catalog({ discovery: { refreshInterval: 3600, providerFilter: ['AMAZON'] } }).list();
    expect(new Set(snap.entries.map((e) => e.provider))).toEqual(new Set(['Amazon']));
  });

  it('10 concurrent reads in one process make one Bedrock call', async () => {
    const c = catalog();
    await Promise.all(Array.from({ length: 10 }, () => c.list()));
    expect(calls()).toBe(1);
  });

  it('8 processes reading at once on a cold cache make exactly ONE ListFoundationModels call', async () => {
    const script = fileURLToPath(new URL('./test-support/read-catalog-child.ts', import.meta.url));
    const children = Array.from({ length: 8 }, () =>
      spawn(process.execPath, [...tsxExecArgv, script], {
        env: { ...process.env, EMULATOR_URL: emulator.url, REDIS_URL: testRedisUrl(), PREFIX: prefix },
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    // A timed-out or failed run must not leave the children running: they would write the
    // catalog under this prefix after afterEach cleaned it (seen: leaked keys with a 7-day TTL).
    const ownPrefix = prefix;
    onTestFinished(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
      await cleanupPrefix(redis, ownPrefix);
    });
    const outputs = children.map((child) => {
      let out = '';
      let onReady: () => void = () => {};
      const ready = new Promise<void>((r) => {
        onReady = r;
      });
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) onReady();
      });
      const done = new Promise<number | null>((r) => child.once('exit', r));
      return { child, ready, done, text: () => out };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const o of outputs) o.child.stdin.end('go\n');
    expect(await Promise.all(outputs.map((o) => o.done))).toEqual(Array(8).fill(0));
    const results = outputs.map((o) => JSON.parse(o.text().split('\n')[1] ?? '{}') as { count: number; fetchedAt: number });
    expect(new Set(results.map((r) => r.fetchedAt)).size).toBe(1);
    expect(results.every((r) => r.count > 10)).toBe(true);
    expect(calls()).toBe(1);
  }, 60_000);

  it('refreshInterval 0 = no cache: every read asks Bedrock', async () => {
    const c = catalog({ discovery: { refreshInterval: 0 } });
    await c.list();
    await c.list();
    await catalog({ discovery: { refreshInterval: 0 } }).list();
    expect(calls()).toBe(3);
    expect(
      await redis.exists(
        catalogKeys(prefix, 'us-east-1', 'test-identity', resolveDiscoverySettings({ refreshInterval: 0 }).filterHash).value,
      ),
    ).toBe(0);
  });

  it('stale-while-revalidate: an expired copy is served at once (stale) and refreshed in the background', async () => {
    const c = catalog({ localTtlMs: 0 });
    const first = await c.list();
    clock += 3600_000 + 1;
    const stale = await c.list();
    expect(stale).toMatchObject({ stale: true, fetchedAt: first.fetchedAt });
    expect(stale.warning).toMatch(/expired/);
    await c.idle();
    expect(calls()).toBe(2);
    const fresh = await c.list();
    expect(fresh.stale).toBe(false);
    expect(fresh.fetchedAt).toBe(clock);
  });

  it('each process judges freshness with its own refreshInterval: lowering it takes effect before the stored copy expires', async () => {
    const hourly = catalog({ localTtlMs: 0 });
    const first = await hourly.list();
    clock += 61_000;
    const minutely = catalog({ localTtlMs: 0, discovery: { refreshInterval: 60 } });
    const seen = await minutely.list();
    expect(seen).toMatchObject({ stale: true, fetchedAt: first.fetchedAt });
    expect(seen.warning).toContain(`catalog expired at ${new Date(first.fetchedAt + 60_000).toISOString()}`);
    await minutely.idle();
    expect(calls()).toBe(2);
    expect(await minutely.list()).toMatchObject({ stale: false, fetchedAt: clock });
    // The hourly process takes the newer copy and still counts an hour from its fetchedAt.
    clock += 120_000;
    expect(await hourly.list()).toMatchObject({ stale: false, fetchedAt: clock - 120_000 });
    expect(calls()).toBe(2);
  });

  it('refresh() forces a Bedrock call even when the copy is fresh', async () => {
    const c = catalog();
    await c.list();
    clock += 1000;
    const snap = await c.refresh();
    expect(snap.fetchedAt).toBe(clock);
    expect(calls()).toBe(2);
  });

  it('keeps an in-process copy: hot reads within localTtlMs need no Redis round trip', async () => {
    const c = catalog({ localTtlMs: 60_000 });
    await c.list();
    await cleanupPrefix(redis, prefix);
    expect((await c.list()).entries.length).toBeGreaterThan(10);
    clock += 60_001;
    await c.list();
    expect(calls()).toBe(2);
  });

  it('a junk value in Redis is a cache miss, not a crash', async () => {
    const key = catalogKeys(prefix, 'us-east-1', 'test-identity', resolveDiscoverySettings({ refreshInterval: 3600 }).filterHash).value;
    await redis.set(key, '{"v":1,"__proto__":{"polluted":true},"entries":"nope"}');
    expect((await catalog().list()).entries.length).toBeGreaterThan(10);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a lock left by a crashed process delays others at most its TTL, then they refresh', async () => {
    const key = catalogKeys(prefix, 'us-east-1', 'test-identity', resolveDiscoverySettings({ refreshInterval: 3600 }).filterHash);
    await redis.set(key.lock, 'crashed-holder', 'PX', 200);
    const snap = await catalog().list();
    expect(snap.entries.length).toBeGreaterThan(10);
    expect(calls()).toBe(1);
  });

  it('markUnavailable is seen by every process until the next refresh', async () => {
    const a = catalog();
    const b = catalog({ localTtlMs: 0 });
    await a.list();
    await b.list();
    await a.markUnavailable('amazon.nova-pro-v1:0', 'AccessDeniedException: model access not enabled');
    expect((await a.get('amazon.nova-pro-v1:0'))?.available).toBe(false);
    expect(await b.get('amazon.nova-pro-v1:0')).toMatchObject({
      available: false,
      unavailableReason: 'AccessDeniedException: model access not enabled',
    });
    expect((await b.get('us.amazon.nova-pro-v1:0'))?.available).toBe(true);
    clock += 1;
    await b.refresh();
    expect((await b.get('amazon.nova-pro-v1:0'))?.available).toBe(true);
  });

  it('a mark expires on its own after unavailableTtlSeconds, in every process, without a refresh', async () => {
    const a = catalog({ unavailableTtlSeconds: 120 });
    const b = catalog({ localTtlMs: 0 });
    await a.list();
    await a.markUnavailable('amazon.nova-pro-v1:0', 'AccessDeniedException: denied once');
    const until = clock + 120_000;
    expect(await b.get('amazon.nova-pro-v1:0')).toMatchObject({ available: false, unavailableUntil: until });
    expect(await b.marks()).toEqual([{ modelId: 'amazon.nova-pro-v1:0', reason: 'AccessDeniedException: denied once', until }]);
    // The Redis hash itself is bounded by the TTL too (no hour-long leftover).
    const key = catalogKeys(
      prefix,
      'us-east-1',
      'test-identity',
      resolveDiscoverySettings({ refreshInterval: 3600 }).filterHash,
    ).unavailable;
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(120_000);
    clock += 119_000;
    expect((await b.get('amazon.nova-pro-v1:0'))?.available).toBe(false);
    clock += 1000;
    expect((await b.get('amazon.nova-pro-v1:0'))?.available).toBe(true);
    expect((await a.get('amazon.nova-pro-v1:0'))?.available).toBe(true);
    expect(await b.marks()).toEqual([]);
    expect(calls()).toBe(1);
  });

  it('marking again restarts the period; junk and old-format marks in Redis are ignored', async () => {
    const a = catalog({ unavailableTtlSeconds: 60, localTtlMs: 0 });
    await a.list();
    await a.markUnavailable('amazon.nova-pro-v1:0', 'first');
    clock += 50_000;
    await a.markUnavailable('amazon.nova-pro-v1:0', 'second');
    clock += 50_000;
    expect(await a.get('amazon.nova-pro-v1:0')).toMatchObject({
      available: false,
      unavailableReason: 'second',
      unavailableUntil: clock + 10_000,
    });
    const key = catalogKeys(
      prefix,
      'us-east-1',
      'test-identity',
      resolveDiscoverySettings({ refreshInterval: 3600 }).filterHash,
    ).unavailable;
    await redis.hset(
      key,
      'amazon.nova-micro-v1:0',
      'AccessDenied (a mark without an expiry)',
      'us.amazon.nova-pro-v1:0',
      '{"until":"never"}',
    );
    expect((await a.get('amazon.nova-micro-v1:0'))?.available).toBe(true);
    expect((await a.get('us.amazon.nova-pro-v1:0'))?.available).toBe(true);
    expect((await a.marks()).map((m) => m.modelId)).toEqual(['amazon.nova-pro-v1:0']);
    // A process with a shorter TTL marks another model: unreadable marks are dropped, and the
    // hash still lives as long as its longest mark.
    const longer = catalog({ unavailableTtlSeconds: 600, localTtlMs: 0 });
    await longer.markUnavailable('amazon.titan-text-express-v1', 'denied');
    await a.markUnavailable('amazon.nova-micro-v1:0', 'denied');
    expect(await redis.hget(key, 'us.amazon.nova-pro-v1:0')).toBeNull();
    expect(await redis.pttl(key)).toBeGreaterThan(60_000);
    expect((await a.marks()).map((m) => m.modelId).sort()).toEqual([
      'amazon.nova-micro-v1:0',
      'amazon.nova-pro-v1:0',
      'amazon.titan-text-express-v1',
    ]);
  });

  it('refresh() clears the marks even when discovery is off or Bedrock cannot be asked', async () => {
    const manual = { models: [{ id: 'amazon.nova-micro-v1:0' }] };
    const off = catalog({ discovery: { enabled: false }, provider: manual, localTtlMs: 0 });
    await off.markUnavailable('amazon.nova-micro-v1:0', 'denied');
    expect((await off.get('amazon.nova-micro-v1:0'))?.available).toBe(false);
    await off.refresh();
    expect((await off.get('amazon.nova-micro-v1:0'))?.available).toBe(true);
    const dead = catalog({ control: controlFor(`http://127.0.0.1:${await freePort()}`), localTtlMs: 0 });
    await dead.markUnavailable('amazon.nova-micro-v1:0', 'denied');
    await dead.refresh().catch(() => undefined);
    expect(await dead.marks()).toEqual([]);
  });

  it('rejects a bad unavailableTtlSeconds with a RangeError naming it', () => {
    expect(() => catalog({ unavailableTtlSeconds: 0 })).toThrow(/unavailableTtlSeconds must be seconds, an integer from 1 to 86400, got 0/);
    expect(() => catalog({ unavailableTtlSeconds: 1.5 })).toThrow(RangeError);
  });

  it('markUnavailable refuses a bad model id', async () => {
    await expect(catalog().markUnavailable('', 'x')).rejects.toMatchObject({ code: 'invalid_discovery_config' });
    await expect(catalog().markUnavailable('x'.repeat(600), 'x')).rejects.toMatchObject({ code: 'invalid_discovery_config' });
  });

  it('configured models are merged over discovered ones (manual wins)', async () => {
    const snap = await catalog({
      provider: {
        models: [
          { id: 'amazon.nova-micro-v1:0', name: 'Micro (mine)', maxTokens: 1000, cost: { input: 0.035, output: 0.14 } },
          { id: 'anthropic.claude-opus-4-5-20251101-v1:0', name: 'Claude Opus 4.5 (Bedrock)', contextWindow: 200_000, maxTokens: 8192 },
        ],
      },
    }).list();
    expect(snap.entries.find((e) => e.id === 'amazon.nova-micro-v1:0')).toMatchObject({
      name: 'Micro (mine)',
      maxTokens: 1000,
      contextWindow: 128_000,
      source: 'configured',
      cost: { input: 0.035, output: 0.14 },
    });
    expect(snap.entries.find((e) => e.id === 'anthropic.claude-opus-4-5-20251101-v1:0')).toMatchObject({ source: 'configured' });
    expect(snap.entries.find((e) => e.id === 'amazon.nova-pro-v1:0')?.source).toBe('discovered');
  });

  it('enabled false, or undefined without credentials: no Bedrock call, configured models only', async () => {
    const manual = { models: [{ id: 'amazon.nova-micro-v1:0' }] };
    const off = await catalog({ discovery: { enabled: false }, provider: manual }).list();
    expect(ids(off)).toEqual(['amazon.nova-micro-v1:0']);
    expect(off.warning).toMatch(/enabled is false/);
    const noCreds = await catalog({ credentialsPresent: false, provider: manual }).list();
    expect(noCreds.warning).toMatch(/no AWS credentials/);
    expect(calls()).toBe(0);
    await catalog({ discovery: { enabled: true }, credentialsPresent: false }).list();
    expect(calls()).toBe(1);
  });
});

describe('shared catalog: failures', () => {
  let proxy: FaultProxy;
  beforeEach(async () => {
    proxy = await startFaultProxy(emulator.url);
  });
  afterEach(async () => {
    await proxy.close();
  });
  const viaProxy = (over: Partial<CreateCatalogOptions> = {}) => catalog({ control: controlFor(proxy.url), ...over });

  it('AccessDenied on ListInferenceProfiles skips profiles with a warning; discovery still works', async () => {
    proxy.mode = 'deny-profiles';
    const snap = await viaProxy().list({ includeFiltered: true });
    expect(snap.warning).toMatch(/bedrock:ListInferenceProfiles/);
    expect(ids(snap).filter((id) => id.startsWith('us.') || id.startsWith('global.'))).toEqual([]);
    expect(ids(snap)).toContain('amazon.nova-pro-v1:0');
    expect(snap.filtered?.find((f) => f.id === 'anthropic.claude-sonnet-4-5-20250929-v1:0')?.reason).toMatch(/inference profile/);
  });

  it('AccessDenied on ListFoundationModels with no cache: a clear error naming the permission', async () => {
    proxy.mode = 'deny-all';
    const err = await viaProxy()
      .list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscoveryError);
    expect(err).toMatchObject({ code: 'discovery_access_denied', retryable: false });
    expect((err as Error).message).toContain('bedrock:ListFoundationModels');
  });

  it('Bedrock failing with no cache at all: a clear error, code and what to check', async () => {
    proxy.mode = 'unavailable';
    const err = await viaProxy()
      .list()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'discovery_unavailable', retryable: true });
    expect((err as Error).message).toMatch(/ServiceUnavailableException.*nothing to fall back to/s);
  });

  it('Bedrock failing with an expired cache: the stale catalog is served, flagged, with a warning', async () => {
    const c = viaProxy({ localTtlMs: 0 });
    const first = await c.list();
    proxy.mode = 'unavailable';
    clock += 3600_000 + 1;
    const during = await c.list();
    expect(during).toMatchObject({ stale: true, fetchedAt: first.fetchedAt });
    await c.idle();
    const after = await c.list();
    expect(after).toMatchObject({ stale: true, fetchedAt: first.fetchedAt });
    expect(after.warning).toMatch(/refresh failed \(discovery_unavailable/);
    expect(after.entries).toEqual(first.entries);
    const forced = await c.refresh();
    expect(forced).toMatchObject({ stale: true });
    expect(forced.warning).toMatch(/serving the stale catalog fetched at/);
  });

  it('Bedrock unreachable (connection refused) with an expired cache: stale served too', async () => {
    const c = catalog({ localTtlMs: 0 });
    await c.list();
    clock += 3600_001;
    const dead = viaProxy({ control: controlFor(`http://127.0.0.1:${await freePort()}`) });
    const snap = await dead.refresh();
    expect(snap.stale).toBe(true);
    expect(snap.warning).toMatch(/refresh failed/);
  });
});

describe('shared catalog: Redis unreachable', () => {
  it('is a redis_unavailable error that says what to check', async () => {
    const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    dead.on('error', () => {});
    const err = await createCatalog({
      redis: dead,
      control: controlFor(emulator.url),
      keyPrefix: uniquePrefix('dead'),
      region: 'us-east-1',
      credentialsIdentity: 'x',
    })
      .list()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'redis_unavailable', retryable: true });
    expect((err as Error).message).toMatch(/REDIS_URL/);
    dead.disconnect();
  });

  it('rejects hostile key parts up front', () => {
    expect(() => catalog({ region: 'us-east-1}' })).toThrow(/region/);
    expect(() => catalog({ credentialsIdentity: '../../x' })).toThrow(/credentialsIdentity/);
    expect(() => catalog({ keyPrefix: 'a}{b' })).toThrow(/keyPrefix/);
  });

  it.each([
    'localTtlMs',
    'lockTtlMs',
    'waitTimeoutMs',
    'pollIntervalMs',
    'staleRetentionSeconds',
    'failureBackoffMs',
    'fetchTimeoutMs',
  ] as const)('rejects a bad %s with a RangeError naming it', (key) => {
    expect(() => catalog({ [key]: -1 })).toThrow(new RangeError(`createCatalog: ${key} must be a non-negative integer, got -1`));
    expect(() => catalog({ [key]: Number.NaN })).toThrow(RangeError);
  });
});
