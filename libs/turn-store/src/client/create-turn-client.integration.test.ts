import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { TurnError, parseTurnRequest, type TurnEvent, type TurnRequest } from '@turnpool/protocol';
import { turnKeys } from '../turn-keys.ts';
import { createTurnWriter } from '../event-log/create-turn-writer.ts';
import { cleanupPrefix, startRedisCluster, testRedisUrl, uniquePrefix, type OwnRedisCluster } from '@turnpool/testing';
import { createCatalogModelResolver, type CatalogEntryLike } from './catalog-model-resolver.ts';
import { createTurnClient, type TurnClient } from './create-turn-client.ts';
import { requestFingerprint } from './request-fingerprint.ts';
import { createTurnClaims } from '../record/turn-claims.ts';

const entry = (id: string, over: Partial<CatalogEntryLike> = {}): CatalogEntryLike => ({
  id,
  name: id,
  provider: 'Anthropic',
  contextWindow: 200_000,
  maxTokens: 8192,
  reasoning: false,
  input: ['text', 'image'],
  available: true,
  baseModelId: id.replace(/^us\./, ''),
  supportsPromptCache: false,
  streaming: true,
  ...over,
});
const catalog = {
  list: async () => ({
    entries: [
      entry('anthropic.claude-3-haiku-20240307-v1:0', { name: 'Claude 3 Haiku' }),
      entry('us.anthropic.claude-sonnet-4-20250514-v1:0'),
      entry('amazon.titan-text-express-v1', { input: ['text'], provider: 'Amazon' }),
      entry('denied.model-v1:0', {
        available: false,
        unavailableReason: 'AccessDenied at invoke.',
        unavailableUntil: Date.parse('2100-01-01T00:05:00Z'),
      }),
    ],
  }),
};
const parseTurnRequestOrThrow = (body: unknown): TurnRequest => {
  const parsed = parseTurnRequest(body);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
};
const hello = { model: 'amazon-bedrock/anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

/** On one node, and on a Redis Cluster where the claim (the turn's slot) and the job (the queue's slot) live apart. */
describe.each(['one node', 'a Redis Cluster'] as const)('createTurnClient (real Redis + BullMQ) on %s', (target) => {
  let redis: Redis | Cluster;
  let cluster: OwnRedisCluster | undefined;
  let prefix: string;
  let client: TurnClient;
  let queue: Queue;

  beforeAll(async () => {
    if (target === 'one node') {
      redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
      return;
    }
    cluster = await startRedisCluster();
    redis = cluster.client({ redisOptions: { maxRetriesPerRequest: null } });
  }, 60_000);
  afterEach(async () => {
    await client?.close();
    await queue?.close();
    await cleanupPrefix(redis, prefix);
  });
  afterAll(async () => {
    redis.disconnect();
    await cluster?.stop();
  });

  const setup = () => {
    prefix = uniquePrefix('client');
    client = createTurnClient({ redis, keyPrefix: prefix, resolveModel: createCatalogModelResolver({ catalog, region: 'us-east-1' }) });
    queue = new Queue('turns', { connection: redis, prefix: turnKeys(prefix).queuePrefix });
  };
  const counts = async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };
  const refusal = async (p: Promise<unknown>): Promise<TurnError> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TurnError);
    return err as TurnError;
  };

  it('enqueues a valid turn with the resolved model and no credentials in the job', async () => {
    setup();
    const { turnId, created } = await client.submitTurn(hello);
    expect(created).toBe(true);
    const job = await queue.getJob(turnId);
    expect(job?.data.model).toMatchObject({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1' });
    expect(Object.keys(job?.data ?? {}).sort()).toEqual(['fingerprint', 'model', 'request', 'submittedAt', 'turnId']);
    expect((await client.getTurn(turnId))?.state).toBe('queued');
  });

  it('runs a turn once for a repeated Idempotency-Key, and refuses the key with another body', async () => {
    setup();
    const a = await client.submitTurn(hello, { idempotencyKey: 'order-42' });
    const b = await client.submitTurn(hello, { idempotencyKey: 'order-42' });
    expect(b).toEqual({ turnId: a.turnId, created: false });
    expect(await counts()).toBe(1);
    const other = { ...hello, messages: [{ role: 'user', content: [{ text: 'something else' }] }] };
    expect((await refusal(client.submitTurn(other, { idempotencyKey: 'order-42' }))).code).toBe('duplicate_turn');
  });

  it('50 concurrent submits with one Idempotency-Key and the same body: exactly one created, one job', async () => {
    setup();
    const results = await Promise.all(Array.from({ length: 50 }, () => client.submitTurn(hello, { idempotencyKey: 'burst-1' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.turnId)).size).toBe(1);
    expect(await counts()).toBe(1);
  });

  it('50 concurrent submits with one key and mixed bodies: one created, the rest created:false or duplicate_turn by body, and the job runs the winner', async () => {
    setup();
    const bodies = [hello, { ...hello, messages: [{ role: 'user', content: [{ text: 'another body' }] }] }];
    const settled = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => client.submitTurn(bodies[i % 2], { idempotencyKey: 'burst-2' })),
    );
    const created = settled.flatMap((s, i) => (s.status === 'fulfilled' && s.value.created ? [i % 2] : []));
    expect(created).toHaveLength(1);
    const winner = created[0] as number;
    settled.forEach((s, i) => {
      if (i % 2 === winner) expect(s.status).toBe('fulfilled');
      else expect(s.status === 'rejected' && (s.reason as TurnError).code).toBe('duplicate_turn');
    });
    expect(await counts()).toBe(1);
    const turnId = (settled.find((s) => s.status === 'fulfilled') as PromiseFulfilledResult<{ turnId: string }>).value.turnId;
    expect((await queue.getJob(turnId))?.data.request.messages).toEqual(bodies[winner]?.messages);
  });

  it('a failed enqueue after the claim loses nothing: the caller gets the error, a retry with the same key enqueues', async () => {
    setup();
    // Make BullMQ's add script fail at its first command (INCR of the queue's id counter), before it writes anything.
    const idKey = `${turnKeys(prefix).queuePrefix}:turns:id`;
    await redis.set(idKey, 'not a number');
    await expect(client.submitTurn(hello, { idempotencyKey: 'flaky-add' })).rejects.toThrow(/not an integer/);
    expect(await counts()).toBe(0);
    await redis.del(idKey);
    const retry = await client.submitTurn(hello, { idempotencyKey: 'flaky-add' });
    expect(retry.created).toBe(true);
    expect(await counts()).toBe(1);
    expect(await client.submitTurn(hello, { idempotencyKey: 'flaky-add' })).toEqual({ turnId: retry.turnId, created: false });
  });

  it('a claim left by a submitter that died before enqueueing: the same body enqueues at once, another body is refused until the claim expires', async () => {
    prefix = uniquePrefix('client');
    client = createTurnClient({
      redis,
      keyPrefix: prefix,
      claimTtlSeconds: 1,
      resolveModel: createCatalogModelResolver({ catalog, region: 'us-east-1' }),
    });
    queue = new Queue('turns', { connection: redis, prefix: turnKeys(prefix).queuePrefix });
    const other = { ...hello, messages: [{ role: 'user', content: [{ text: 'other' }] }] };
    // What a submitter leaves when it dies between the claim and the add: a pending record, no job.
    const dead = async (turnId: string, body: typeof hello) => {
      const claims = createTurnClaims({
        redis,
        recordKey: turnKeys(prefix).record,
        jobKey: (id) => queue.toKey(id),
        retentionSeconds: 60,
        claimTtlSeconds: 1,
      });
      const fp = requestFingerprint(parseTurnRequestOrThrow(body));
      expect((await claims.claim(turnId, fp, 'dead-submitter', { ref: 'r', modelId: 'm', submittedAt: 1 })).kind).toBe('claimed');
    };
    await dead('dead-1', hello);
    expect(await client.submitTurn({ ...hello, turnId: 'dead-1' })).toEqual({ turnId: 'dead-1', created: false });
    expect((await queue.getJob('dead-1'))?.data.fingerprint).toBeDefined();
    await dead('dead-2', hello);
    expect((await refusal(client.submitTurn({ ...other, turnId: 'dead-2' }))).code).toBe('duplicate_turn');
    const record = turnKeys(prefix).record('dead-2');
    expect(await redis.pttl(record)).toBeLessThanOrEqual(1000);
    while (await redis.exists(record)) await new Promise((r) => setTimeout(r, 50));
    expect(await client.submitTurn({ ...other, turnId: 'dead-2' })).toEqual({ turnId: 'dead-2', created: true });
    expect(await counts()).toBe(2);
  });

  it('refuses invalid fields, unknown and unavailable models, and wrong input kinds, enqueuing nothing', async () => {
    setup();
    const bad = await refusal(client.submitTurn({ ...hello, messages: [{ role: 'robot', content: [{ text: 'x' }] }] }));
    expect(bad.code).toBe('invalid_request');
    expect(bad.field).toBe('messages[0].role');
    const unknown = await refusal(client.submitTurn({ ...hello, model: 'amazon-bedrock/nope.model' }));
    expect(unknown.code).toBe('model_not_found');
    expect(unknown.message).toContain('nope.model');
    expect(unknown.message).toContain('turnpool models list');
    const profileOnly = await refusal(client.submitTurn({ ...hello, model: 'anthropic.claude-sonnet-4-20250514-v1:0' }));
    expect(profileOnly.message).toContain('us.anthropic.claude-sonnet-4-20250514-v1:0');
    const denied = await refusal(client.submitTurn({ ...hello, model: 'denied.model-v1:0' }));
    expect(denied.code).toBe('model_unavailable');
    expect(denied.message).toMatch(
      /AccessDenied at invoke\. The mark expires at 2100-01-01T00:05:00\.000Z \(in \d+ s\); `turnpool models refresh` clears it now\./,
    );
    const image = await refusal(
      client.submitTurn({
        model: 'amazon.titan-text-express-v1',
        messages: [{ role: 'user', content: [{ text: 'look' }, { image: { format: 'png', data: 'iVBORw0KGgo=' } }] }],
      }),
    );
    expect(image.code).toBe('unsupported_input');
    expect(image.field).toBe('messages[0].content[1]');
    expect((await refusal(client.submitTurn(hello, { idempotencyKey: 'has space' }))).field).toBe('Idempotency-Key');
    expect((await refusal(client.submitTurn({ ...hello, __proto__: { polluted: true } }))).code).toBe('invalid_request');
    expect(await counts()).toBe(0);
  });

  it('resolves a model by catalog name and by the configured default', async () => {
    prefix = uniquePrefix('client');
    client = createTurnClient({
      redis,
      keyPrefix: prefix,
      resolveModel: createCatalogModelResolver({
        catalog,
        region: 'eu-west-1',
        defaultModel: 'amazon-bedrock/amazon.titan-text-express-v1',
      }),
    });
    queue = new Queue('turns', { connection: redis, prefix: turnKeys(prefix).queuePrefix });
    const byName = await client.submitTurn({ ...hello, model: 'claude 3 haiku' });
    expect((await queue.getJob(byName.turnId))?.data.model.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    const byDefault = await client.submitTurn({ messages: hello.messages });
    expect((await queue.getJob(byDefault.turnId))?.data.model).toMatchObject({
      modelId: 'amazon.titan-text-express-v1',
      region: 'eu-west-1',
    });
  });

  it('cancels a queued turn at once: removed from the queue, turn-cancelled published, state cancelled', async () => {
    setup();
    const { turnId } = await client.submitTurn({ ...hello, turnId: `cancel-me-${prefix}` });
    const events: TurnEvent[] = [];
    const following = (async () => {
      for await (const e of client.subscribeTurn(turnId)) events.push(e);
    })();
    const info = await client.cancelTurn(turnId, 'test');
    expect(info.state).toBe('cancelled');
    await following;
    expect(events.map((e) => [e.type, e.seq])).toEqual([['turn-cancelled', 1]]);
    expect(await queue.getJob(turnId)).toBeUndefined();
    // The turn keeps its record and its id after the job is gone.
    expect(await client.getTurn(turnId)).toMatchObject({
      state: 'cancelled',
      model: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' },
    });
    expect((await client.getTurn(turnId))?.submittedAt).toBeGreaterThan(0);
    expect(await client.submitTurn({ ...hello, turnId })).toEqual({ turnId, created: false });
    expect((await refusal(client.submitTurn({ ...hello, turnId, messages: [{ role: 'user', content: [{ text: 'other' }] }] }))).code).toBe(
      'duplicate_turn',
    );
    expect(await queue.getJob(turnId)).toBeUndefined();
    expect((await refusal(client.cancelTurn(turnId))).code).toBe('turn_finished');
    expect((await refusal(client.cancelTurn('no-such-turn'))).code).toBe('turn_not_found');
  });

  it('reports a turn finished by a worker from its terminal event', async () => {
    setup();
    const { turnId } = await client.submitTurn(hello);
    const writer = await createTurnWriter({ redis, keyPrefix: prefix, turnId, attempt: 1 });
    void writer.write({ type: 'turn-start', model: hello.model, modelId: 'm', region: 'us-east-1', worker: 'w' });
    void writer.write({ type: 'text-delta', index: 0, text: 'Hello' });
    await writer.write({
      type: 'turn-end',
      stopReason: { unified: 'end_turn', raw: 'end_turn' },
      message: { role: 'assistant', content: [{ text: 'Hello' }] },
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      cost: null,
      timings: { ttftMs: 5, totalMs: 9 },
    });
    const info = await client.getTurn(turnId);
    expect(info).toMatchObject({ state: 'succeeded', lastSeq: 3, attempt: 1, result: { stopReason: { unified: 'end_turn' } } });
    const replay: string[] = [];
    for await (const e of client.subscribeTurn(turnId, { after: 1 })) replay.push(e.type);
    expect(replay).toEqual(['text-delta', 'turn-end']);
  });

  it('refuses hostile turn ids without touching Redis keys', async () => {
    setup();
    for (const id of ['', '../x', 'a b', 'x'.repeat(200), '{turnpool}:x', '__proto__\n']) {
      expect((await refusal(client.getTurn(id))).field).toBe('turnId');
    }
    expect(await client.getTurn('unknown-turn')).toBeNull();
  });
});
