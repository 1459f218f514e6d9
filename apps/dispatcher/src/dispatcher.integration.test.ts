import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { connect } from 'node:net';
import { type CatalogEntry } from '@turnpool/protocol';
import { turnKeys, createTurnWriter } from '@turnpool/turn-store';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { startDispatcher, type RunningDispatcher } from './start-dispatcher.ts';

const entry = (id: string, input: CatalogEntry['input'] = ['text', 'image']): CatalogEntry => ({
  id,
  name: id,
  provider: 'Anthropic',
  contextWindow: 200_000,
  maxTokens: 8192,
  reasoning: false,
  input,
  available: true,
  baseModelId: id,
  supportsPromptCache: false,
  streaming: true,
  limitsKnown: true,
  source: 'discovered',
});
const catalog = {
  list: async () => ({
    entries: [entry('anthropic.claude-3-haiku-20240307-v1:0'), entry('amazon.titan-text-express-v1', ['text'])],
    stale: false,
    fetchedAt: 1,
  }),
};
const hello = { model: 'amazon-bedrock/anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

describe('dispatcher HTTP API (real Redis, loopback HTTP)', () => {
  const prefix = uniquePrefix('dispatch');
  const securePrefix = uniquePrefix('dispatch-auth');
  let redis: Redis;
  let d: RunningDispatcher;
  let secure: RunningDispatcher;
  let queue: Queue;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    d = await startDispatcher({ redisUrl: testRedisUrl(), keyPrefix: prefix, catalog, region: 'us-east-1', port: 0 });
    secure = await startDispatcher({
      redisUrl: testRedisUrl(),
      keyPrefix: securePrefix,
      catalog,
      region: 'us-east-1',
      port: 0,
      apiKeys: ['k-one', 'k-two'],
    });
    queue = new Queue('turns', { connection: redis, prefix: turnKeys(prefix).queuePrefix });
  });
  afterAll(async () => {
    await Promise.all([d?.close(), secure?.close(), queue?.close()]);
    await cleanupPrefix(redis, prefix);
    await cleanupPrefix(redis, securePrefix);
    redis.disconnect();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}, base = d.url) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const jobCount = async () =>
    Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).reduce((a, b) => a + b, 0);

  it('accepts a turn with 202, an events URL, and the same turn for a repeated Idempotency-Key', async () => {
    const r1 = await post('/v1/turns', hello, { 'idempotency-key': 'abc-1' });
    expect(r1.status).toBe(202);
    const b1 = (await r1.json()) as { turnId: string; eventsUrl: string; created: boolean };
    expect(b1.eventsUrl).toBe(`/v1/turns/${b1.turnId}/events`);
    const r2 = await post('/v1/turns', hello, { 'idempotency-key': 'abc-1' });
    expect(await r2.json()).toMatchObject({ turnId: b1.turnId, created: false });
    const got = await fetch(`${d.url}/v1/turns/${b1.turnId}`);
    expect(await got.json()).toMatchObject({ turnId: b1.turnId, state: 'queued' });
  });

  it('50 concurrent POSTs with one Idempotency-Key: one created, the same body gets created:false with the same turnId, another body 409 duplicate_turn', async () => {
    const before = await jobCount();
    const same = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const res = await post('/v1/turns', hello, { 'idempotency-key': 'http-burst-1' });
        return { status: res.status, body: (await res.json()) as { turnId: string; created: boolean } };
      }),
    );
    expect(same.map((r) => r.status)).toEqual(Array(50).fill(202));
    expect(same.filter((r) => r.body.created)).toHaveLength(1);
    expect(new Set(same.map((r) => r.body.turnId)).size).toBe(1);
    expect(await jobCount()).toBe(before + 1);

    const other = { ...hello, messages: [{ role: 'user', content: [{ text: 'a different body' }] }] };
    const mixed = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const res = await post('/v1/turns', i % 2 === 0 ? hello : other, { 'idempotency-key': 'http-burst-2' });
        return { body: i % 2, status: res.status, json: (await res.json()) as { created?: boolean; error?: { code: string } } };
      }),
    );
    const created = mixed.filter((r) => r.json.created === true);
    expect(created).toHaveLength(1);
    const winner = created[0]?.body;
    for (const r of mixed) {
      if (r.body === winner) expect(r.status).toBe(202);
      else expect([r.status, r.json.error?.code]).toEqual([409, 'duplicate_turn']);
    }
    expect(await jobCount()).toBe(before + 2);
  });

  it('answers 400 naming the field for each invalid input, and enqueues nothing', async () => {
    const before = await jobCount();
    const cases: [unknown, string][] = [
      [{ ...hello, messages: 'nope' }, 'messages'],
      [{ ...hello, messages: [{ role: 'user', content: [{ text: 5 }] }] }, 'messages[0].content[0]'],
      [{ ...hello, inferenceConfig: { temperature: 'hot' } }, 'inferenceConfig.temperature'],
      [{ ...hello, surprise: true }, 'surprise'],
      [
        { ...hello, messages: [{ role: 'user', content: [{ image: { format: 'png', data: '***' } }] }] },
        'messages[0].content[0].image.data',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await post('/v1/turns', body);
      expect(res.status).toBe(400);
      const err = ((await res.json()) as { error: { code: string; field: string } }).error;
      expect(err.code).toBe('invalid_request');
      expect(err.field).toContain(field);
    }
    const unknown = await post('/v1/turns', { ...hello, model: 'amazon-bedrock/made.up-v9' });
    expect(unknown.status).toBe(404);
    const u = ((await unknown.json()) as { error: { code: string; message: string } }).error;
    expect(u.code).toBe('model_not_found');
    expect(u.message).toMatch(/made\.up-v9.*turnpool models list/);
    const image = await post('/v1/turns', {
      model: 'amazon.titan-text-express-v1',
      messages: [{ role: 'user', content: [{ image: { format: 'png', data: 'iVBORw0KGgo=' } }] }],
    });
    expect(image.status).toBe(422);
    expect(await jobCount()).toBe(before);
  });

  it('refuses malformed JSON, poisoned prototypes, wrong media types and oversized bodies with JSON errors', async () => {
    const broken = await post('/v1/turns', '{"messages": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { field: string } }).error.field).toBe('body');
    const proto = await post('/v1/turns', '{"__proto__": {"polluted": 1}, "messages": []}');
    expect(proto.status).toBe(400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const text = await fetch(`${d.url}/v1/turns`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { error: { field: string } }).error.field).toBe('content-type');
    const huge = await post('/v1/turns', { ...hello, messages: [{ role: 'user', content: [{ text: 'x'.repeat(23 * 1024 * 1024) }] }] });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const badId = await fetch(`${d.url}/v1/turns/${encodeURIComponent('../../etc')}`);
    expect(badId.status).toBe(400);
    const longId = await fetch(`${d.url}/v1/turns/${'x'.repeat(300)}`);
    expect(longId.status).toBe(414);
    expect(((await longId.json()) as { error: { field: string } }).error.field).toBe('url');
    const notObject = await post('/v1/turns', '42');
    expect(((await notObject.json()) as { error: { field: string } }).error.field).toBe('body');
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = connect(Number(new URL(d.url).port), '127.0.0.1', () =>
        sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'),
      );
      let got = '';
      sock.on('data', (c) => (got += c.toString()));
      sock.on('end', () => resolve(got));
      sock.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1.1 400/);
    expect(raw).toContain('"field":"headers"');
    const nothing = await fetch(`${d.url}/v1/nothing`);
    expect(nothing.status).toBe(404);
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });

  it('never answers 5xx or crashes on random JSON bodies (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (body) => {
        const res = await post('/v1/turns', JSON.stringify(body));
        expect([202, 400, 404, 413, 422]).toContain(res.status);
        await res.arrayBuffer();
      }),
      { numRuns: 150 },
    );
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });

  it('streams events as SSE and resumes from Last-Event-ID and ?after= exactly once each', async () => {
    const { turnId } = (await (await post('/v1/turns', hello)).json()) as { turnId: string };
    const writer = await createTurnWriter({ redis, keyPrefix: prefix, turnId, attempt: 1 });
    for (let i = 0; i < 5; i++) void writer.write({ type: 'text-delta', index: 0, text: `w${i} <b>\n` });
    await writer.write({ type: 'turn-error', code: 'upstream_unavailable', message: 'x', retryable: true });
    const read = async (headers: Record<string, string>, query = '') => {
      const res = await fetch(`${d.url}/v1/turns/${turnId}/events${query}`, { headers });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const text = await res.text();
      return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    };
    expect(await read({})).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await read({ 'last-event-id': '3' })).toEqual([4, 5, 6]);
    expect(await read({}, '?after=5')).toEqual([6]);
    const bad = await fetch(`${d.url}/v1/turns/${turnId}/events`, { headers: { 'last-event-id': '-1' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('Last-Event-ID');
    const missing = await fetch(`${d.url}/v1/turns/nope/events`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { field: string } }).error.field).toBe('turnId');
  });

  it('writes the SSE frames that are ready together (a replayed page, one live message) in one HTTP chunk', async () => {
    const { turnId } = (await (await post('/v1/turns', hello)).json()) as { turnId: string };
    const writer = await createTurnWriter({ redis, keyPrefix: prefix, turnId, attempt: 1 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => writer.write({ type: 'text-delta', index: 0, text: `r${i}` })));
    let raw = '';
    const sock = connect(Number(new URL(d.url).port), '127.0.0.1', () =>
      sock.write(`GET /v1/turns/${turnId}/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    sock.setEncoding('latin1');
    sock.on('data', (c: string) => {
      raw += c;
    });
    for (let i = 0; i < 200 && !raw.includes('id: 5\n'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(raw).toContain('id: 5\n');
    // Seven events in one tick: one batch, one live message.
    const live = Array.from({ length: 6 }, (_, i) => writer.write({ type: 'text-delta', index: 0, text: `l${i}` }));
    live.push(writer.write({ type: 'turn-error', code: 'upstream_unavailable', message: 'x', retryable: true }));
    await Promise.all(live);
    for (let i = 0; i < 500 && !raw.endsWith('\r\n0\r\n\r\n'); i++) await new Promise((r) => setTimeout(r, 10));
    sock.destroy();
    // Split the chunked body into its chunks.
    let body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    const chunks: string[] = [];
    for (;;) {
      const eol = body.indexOf('\r\n');
      const size = Number.parseInt(body.slice(0, eol), 16);
      if (!(size > 0)) break;
      chunks.push(body.slice(eol + 2, eol + 2 + size));
      body = body.slice(eol + 2 + size + 2);
    }
    const ids = (c: string) => [...c.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(chunks.map(ids).filter((x) => x.length > 0)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11, 12],
    ]);
  });

  it('cancels a queued turn (202) and refuses to cancel it twice (409)', async () => {
    const { turnId } = (await (await post('/v1/turns', hello)).json()) as { turnId: string };
    const res = await post(`/v1/turns/${turnId}/cancel`, {});
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ turnId, state: 'cancelled' });
    expect((await post(`/v1/turns/${turnId}/cancel`, {})).status).toBe(409);
  });

  it('lists models, reports readiness and serves Prometheus metrics', async () => {
    const models = (await (await fetch(`${d.url}/v1/models`)).json()) as { models: { id: string }[] };
    expect(models.models.map((m) => m.id)).toContain('anthropic.claude-3-haiku-20240307-v1:0');
    expect(await (await fetch(`${d.url}/readyz`)).json()).toMatchObject({ ok: true });
    const metrics = await (await fetch(`${d.url}/metrics`)).text();
    expect(metrics).toContain('turnpool_turns_submitted_total{outcome="accepted"}');
    expect(metrics).toContain('turnpool_queue_jobs{state="waiting"}');
  });

  it('with API keys: 401 without a valid key on every route but health, 202 with one', async () => {
    for (const path of ['/v1/models', '/metrics', '/v1/turns/x']) {
      const res = await fetch(`${secure.url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await post('/v1/turns', hello, { authorization: 'Bearer k-wrong' }, secure.url)).status).toBe(401);
    expect((await post('/v1/turns', hello, { authorization: 'k-one' }, secure.url)).status).toBe(401);
    expect((await post('/v1/turns', hello, { authorization: 'Bearer k-two' }, secure.url)).status).toBe(202);
    expect((await fetch(`${secure.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${secure.url}/readyz`)).status).toBe(200);
  });
});
