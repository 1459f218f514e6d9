import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { createBedrockClients, detectCredentials } from '@turnpool/credentials';
import { createCatalog } from '@turnpool/discovery';
import { startDispatcher, type RunningDispatcher } from '@turnpool/dispatcher';
import type { Catalog } from '@turnpool/protocol';
import { readSse, type SseFrame } from '@turnpool/turn-store';
import type { TurnListItem } from '@turnpool/turn-store/client';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import { cleanupPrefix, spawnTurnpool, testRedisUrl, uniquePrefix, type TurnpoolProcess } from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// The console's read APIs on a whole stack: emulator, shared catalog, dispatcher, worker hosts
// (in-process, and one `turnpool worker` process to kill), one Redis. The per-turn figures are
// the ones the attempt runner wrote, not test fixtures.
const haiku = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const nova = 'amazon.nova-micro-v1:0';
const key = 'console-full-key';
const readKey = 'console-read-key';
const env = { AWS_ACCESS_KEY_ID: 'AKIAFAKECONSOLETEST1', AWS_SECRET_ACCESS_KEY: 'fake-console-secret-Qw3e', AWS_REGION: 'us-east-1' };

interface Page {
  turns: TurnListItem[];
  nextCursor: string | null;
}

describe('console read APIs (real Redis, dispatcher, worker hosts, emulator)', () => {
  const prefix = uniquePrefix('console-api');
  let emulator: EmulatorHandle;
  let redis: Redis;
  let catalog: Catalog;
  let d: RunningDispatcher;
  let host: WorkerHost;
  const children: TurnpoolProcess[] = [];
  let configDir: string;

  beforeAll(async () => {
    emulator = await startEmulator({ ttftMs: 5, tokensPerSecond: 0 });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const credentials = await detectCredentials({ env, probe: false });
    const { control } = createBedrockClients({ region: 'us-east-1', endpoint: emulator.url, credentials, env });
    catalog = createCatalog({
      redis,
      keyPrefix: prefix,
      control,
      region: 'us-east-1',
      credentialsIdentity: credentials.identityHash,
      credentialsPresent: true,
      localTtlMs: 0,
    });
    d = await startDispatcher({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      catalog,
      region: 'us-east-1',
      port: 0,
      apiKeys: [key],
      readOnlyApiKeys: [readKey],
      attempts: 1,
      defaultModel: `amazon-bedrock/${haiku}`,
    });
    host = await startWorkerHost({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      maxThreads: 1,
      inline: true,
      env,
      bedrockEndpoint: emulator.url,
      shutdownGraceMs: 1000,
      workerId: 'console-host-a',
      heartbeatMs: 200,
      heartbeatTtlMs: 700,
    });
    configDir = mkdtempSync(join(tmpdir(), 'console-api-'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop('SIGKILL')));
    await host?.close();
    await d?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    await emulator?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  const get = async (path: string, k = key) => {
    const res = await fetch(`${d.url}${path}`, { headers: { authorization: `Bearer ${k}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const submit = async (text: string, model = haiku, k = key) => {
    const res = await fetch(`${d.url}/v1/turns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` },
      body: JSON.stringify({ model: `amazon-bedrock/${model}`, messages: [{ role: 'user', content: [{ text }] }] }),
    });
    return { status: res.status, body: (await res.json()) as { turnId: string; error?: { code: string; field?: string } } };
  };
  const until = async <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms; last: ${JSON.stringify(v).slice(0, 600)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const turn = async (turnId: string) => {
    const page = (await get(`/v1/turns?limit=200`)).body as unknown as Page;
    return page.turns.find((t) => t.turnId === turnId);
  };

  it('lists turns newest first with the runner-written figures: succeeded, failed, running then cancelled', async () => {
    const ok = await submit('hello [[tokens 6]]');
    const failed = await submit('nope [[error ValidationException]]', nova);
    const slow = await submit('slow [[tokens 8]] [[stall 30 after 2]]');
    expect([ok.status, failed.status, slow.status]).toEqual([202, 202, 202]);

    const done = await until(
      'ok succeeded',
      () => turn(ok.body.turnId),
      (t) => t?.state === 'succeeded',
    );
    expect(done).toMatchObject({ modelId: haiku, hostId: 'console-host-a', outputTokens: 6, errorCode: null });
    expect(done!.inputTokens).toBeGreaterThan(0);
    expect(done!.ttftMs).toBeGreaterThanOrEqual(0);
    expect(done!.startedAt).toBeGreaterThanOrEqual(done!.submittedAt);
    expect(done!.endedAt).toBeGreaterThanOrEqual(done!.startedAt!);

    const bad = await until(
      'failed',
      () => turn(failed.body.turnId),
      (t) => t?.state === 'failed',
    );
    expect(bad).toMatchObject({ modelId: nova, hostId: 'console-host-a', errorCode: 'invalid_request', outputTokens: null });

    // Running, past its first token (the stall holds it after two events).
    const running = await until(
      'running with a first token',
      () => turn(slow.body.turnId),
      (t) => t?.state === 'running' && t.ttftMs !== null,
    );
    expect(running).toMatchObject({ hostId: 'console-host-a', endedAt: null });

    // A read-only key reads, but may not cancel (or submit); the full key may.
    const cancelUrl = `${d.url}/v1/turns/${slow.body.turnId}/cancel`;
    const refused = await fetch(cancelUrl, { method: 'POST', headers: { authorization: `Bearer ${readKey}` } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: {
        code: 'forbidden',
        message: 'This API key is read-only: it cannot submit or cancel turns.',
        retryable: false,
        field: 'authorization',
      },
    });
    expect((await submit('hi', haiku, readKey)).status).toBe(403);
    // The OpenAI face submits turns too: it does not take a read-only key at all.
    const compat = await fetch(`${d.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readKey}` },
      body: JSON.stringify({ model: haiku, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(compat.status).toBe(401);
    expect((await get('/v1/turns', readKey)).status).toBe(200);
    expect((await fetch(cancelUrl, { method: 'POST', headers: { authorization: `Bearer ${key}` } })).status).toBe(202);
    const cancelled = await until(
      'cancelled',
      () => turn(slow.body.turnId),
      (t) => t?.state === 'cancelled',
    );
    expect(cancelled).toMatchObject({ errorCode: 'cancelled' });
    expect(cancelled!.endedAt).not.toBeNull();

    // Newest first.
    const page = (await get('/v1/turns')).body as unknown as Page;
    const ids = page.turns.map((t) => t.turnId);
    expect(ids.indexOf(slow.body.turnId)).toBeLessThan(ids.indexOf(failed.body.turnId));
    expect(ids.indexOf(failed.body.turnId)).toBeLessThan(ids.indexOf(ok.body.turnId));

    // Filters.
    const only = async (q: string) => ((await get(`/v1/turns?${q}`)).body as unknown as Page).turns.map((t) => t.turnId);
    expect(await only('state=failed')).toEqual([failed.body.turnId]);
    expect(await only(`model=${nova}`)).toEqual([failed.body.turnId]);
    expect(await only('error=cancelled')).toEqual([slow.body.turnId]);
    expect(await only('error=invalid_request&state=failed')).toEqual([failed.body.turnId]);
    expect(await only('host=console-host-a&state=succeeded')).toEqual([ok.body.turnId]);
    expect(await only('host=elsewhere')).toEqual([]);
  }, 60_000);

  it('pages newest first with a cursor that stays stable while new turns arrive', async () => {
    const first: string[] = [];
    for (let i = 0; i < 7; i++) first.push((await submit(`page ${i} [[tokens 1]]`)).body.turnId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/v1/turns?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.body as unknown as Page;
      expect(page.turns.length).toBeLessThanOrEqual(3);
      seen.push(...page.turns.map((t) => t.turnId));
      cursor = page.nextCursor;
      // New turns arrive between pages: they must not shift or repeat what follows.
      if (pages < 2) await submit(`arrived during paging ${pages} [[tokens 1]]`);
      pages++;
    } while (cursor !== null && pages < 100);
    expect(new Set(seen).size).toBe(seen.length);
    // The 7 appear newest first, as one contiguous run at the head of the listing.
    expect(seen.slice(0, 7)).toEqual([...first].reverse());
    const all = ((await get('/v1/turns?limit=200')).body as unknown as Page).turns;
    expect(seen.length).toBe(all.length - 2);
    const times = all.map((t) => t.submittedAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  }, 60_000);

  it('answers 400 naming the query parameter for each bad value', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/turns?limit=0', 'limit'],
      ['/v1/turns?limit=201', 'limit'],
      ['/v1/turns?limit=ten', 'limit'],
      ['/v1/turns?limit=1&limit=2', 'limit'],
      ['/v1/turns?state=done', 'state'],
      ['/v1/turns?cursor=nope', 'cursor'],
      ['/v1/turns?model=', 'model'],
      [`/v1/turns?host=${'h'.repeat(257)}`, 'host'],
      ['/v1/models/live?windowMinutes=0', 'windowMinutes'],
      ['/v1/models/live?windowMinutes=61', 'windowMinutes'],
      ['/v1/console/feed?intervalMs=100', 'intervalMs'],
      ['/v1/console/feed?intervalMs=1.5', 'intervalMs'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect([path, res.status, (res.body['error'] as { code: string; field: string }).code]).toEqual([path, 400, 'invalid_request']);
      expect([path, (res.body['error'] as { field: string }).field]).toEqual([path, field]);
    }
    expect((await fetch(`${d.url}/v1/hosts`)).status).toBe(401);
  });

  it('/v1/queue answers the six job counts', async () => {
    const { status, body } = await get('/v1/queue');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['active', 'completed', 'delayed', 'failed', 'prioritized', 'waiting']);
    expect(body['completed']).toBeGreaterThan(0);
    expect(body['failed']).toBeGreaterThan(0);
  });

  it('/v1/models/live: ended turns, TTFT percentiles and throughput per model, and the unavailable mark', async () => {
    const live = async () =>
      (await get('/v1/models/live?windowMinutes=5')).body as { windowMinutes: number; models: Array<Record<string, unknown>> };
    const body = await live();
    expect(body.windowMinutes).toBe(5);
    const h = body.models.find((m) => m['modelId'] === haiku);
    expect(h).toBeDefined();
    expect(h!['turns']).toBeGreaterThanOrEqual(10); // 1 ok + 7 paged + 2 arrivals; the cancelled one counts too
    expect(h!['ttftP50Ms']).toEqual(expect.any(Number));
    expect(h!['ttftP95Ms'] as number).toBeGreaterThanOrEqual(h!['ttftP50Ms'] as number);
    expect(h!['outputTokensPerSecond']).toBeGreaterThan(0);
    expect(h!['unavailable']).toBe(false);
    // Admission knows the model: running / waiting / throttles come from it (0 now, nothing in flight).
    expect(h).toMatchObject({ running: 0, waiting: 0, throttles: 0 });

    await catalog.markUnavailable(nova, 'AccessDeniedException: test');
    const marked = (await live()).models.find((m) => m['modelId'] === nova);
    expect(marked).toMatchObject({ unavailable: true });
    await catalog.refresh();
    expect((await live()).models.find((m) => m['modelId'] === nova)).toMatchObject({ unavailable: false });
  });

  it('/v1/hosts: a host appears with its figures, leaves at once on a clean stop, and after missed beats when killed', async () => {
    const hosts = async () => ((await get('/v1/hosts')).body['hosts'] as Array<Record<string, unknown>>) ?? [];
    // runningTurns is as of the last beat: wait for the one after the earlier tests' turns ended.
    const a = (await until('host a idle', hosts, (hs) => hs.some((h) => h['hostId'] === 'console-host-a' && h['runningTurns'] === 0))).find(
      (h) => h['hostId'] === 'console-host-a',
    );
    expect(a).toMatchObject({ pid: process.pid, threads: 1, maxTurns: expect.any(Number), runningTurns: 0 });
    expect(a!['version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(a!['lastSeenAt'] as number).toBeGreaterThanOrEqual(a!['startedAt'] as number);

    // On a piscina thread: inline hosts share one module-global thread setup, so a second inline
    // host in this process would relabel the first one's turns.
    const b = await startWorkerHost({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      maxThreads: 1,
      env,
      bedrockEndpoint: emulator.url,
      shutdownGraceMs: 1000,
      workerId: 'console-host-b',
      heartbeatMs: 200,
      heartbeatTtlMs: 700,
    });
    expect((await hosts()).map((h) => h['hostId'])).toEqual(['console-host-a', 'console-host-b']);
    await b.close();
    expect((await hosts()).map((h) => h['hostId'])).toEqual(['console-host-a']);

    // A `turnpool worker` process, killed with SIGKILL: its heartbeat expires (~3 missed beats).
    const config = join(configDir, 'worker.json5');
    writeFileSync(config, `{ pool: { maxThreads: 1, heartbeatMs: 300, heartbeatTtlMs: 1000 } }`);
    const child = spawnTurnpool(turnpoolBin, ['worker', '--log-level', 'info'], {
      REDIS_URL: testRedisUrl(),
      TURNPOOL_KEY_PREFIX: prefix,
      TURNPOOL_CONFIG: config,
      TURNPOOL_BEDROCK_ENDPOINT: emulator.url,
      AWS_PROFILE: '',
      AWS_BEARER_TOKEN_BEDROCK: '',
      ...env,
    });
    children.push(child);
    await child.waitFor(/worker host \S+ ready/, 60_000);
    const pid = child.child.pid;
    const seen = await until('the worker process beats', hosts, (hs) => hs.some((h) => h['pid'] === pid));
    expect(seen).toHaveLength(2);
    await child.stop('SIGKILL');
    const killedAt = Date.now();
    await until('the killed host is gone', hosts, (hs) => !hs.some((h) => h['pid'] === pid), 5000);
    const goneAfter = Date.now() - killedAt;
    expect(goneAfter).toBeLessThanOrEqual(1000 + 500);
    expect((await hosts()).map((h) => h['hostId'])).toEqual(['console-host-a']);
  }, 90_000);

  it('/v1/console/feed: a summary at once, then updates that carry a new turn', async () => {
    const ac = new AbortController();
    const res = await fetch(`${d.url}/v1/console/feed?intervalMs=500`, { headers: { authorization: `Bearer ${key}` }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = readSse(res.body as ReadableStream<Uint8Array>);
    const next = async (): Promise<SseFrame> => {
      const r = await frames.next();
      if (r.done) throw new Error('feed ended');
      return r.value;
    };
    const t0 = Date.now();
    const first = await next();
    expect(first.event).toBe('summary');
    expect(first.id).toBeUndefined();
    const s1 = JSON.parse(first.data) as Record<string, unknown>;
    expect(Object.keys(s1).sort()).toEqual(['at', 'hosts', 'models', 'queue', 'turns', 'windowMinutes']);
    expect((s1['turns'] as unknown[]).length).toBeLessThanOrEqual(50);
    expect(Date.now() - t0).toBeLessThan(2000);

    const fresh = await submit('feed turn [[tokens 3]]');
    let seen: TurnListItem | undefined;
    for (let i = 0; i < 20 && seen?.state !== 'succeeded'; i++) {
      const f = await next();
      expect(f.event).toBe('summary');
      seen = (JSON.parse(f.data) as { turns: TurnListItem[] }).turns.find((t) => t.turnId === fresh.body.turnId);
    }
    expect(seen).toMatchObject({ state: 'succeeded', outputTokens: 3, hostId: 'console-host-a' });
    ac.abort();
  }, 30_000);
});
