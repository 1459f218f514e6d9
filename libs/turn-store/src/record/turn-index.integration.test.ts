import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { createCatalogModelResolver } from '../client/catalog-model-resolver.ts';
import { createTurnClient, type TurnClient } from '../client/create-turn-client.ts';
import { turnKeys } from '../turn-keys.ts';
import { appendTurnEvent } from '../event-log/append-turn-event.ts';
import { indexTurn, listTurns } from './turn-index.ts';

const model = 'anthropic.claude-3-haiku-20240307-v1:0';
const resolveModel = createCatalogModelResolver({
  catalog: {
    list: async () => ({
      entries: [
        {
          id: model,
          name: model,
          provider: 'Anthropic',
          contextWindow: 200_000,
          maxTokens: 8192,
          reasoning: false,
          input: ['text'],
          available: true,
          baseModelId: model,
          supportsPromptCache: false,
          streaming: true,
        },
      ],
    }),
  },
  region: 'us-east-1',
  defaultModel: `amazon-bedrock/${model}`,
});
const hello = (text: string) => ({ messages: [{ role: 'user', content: [{ text }] }] });

describe('recent-turns index (real Redis + BullMQ)', () => {
  let redis: Redis;
  let prefix: string;
  let client: TurnClient | undefined;

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await cleanupPrefix(redis, prefix);
  });
  afterAll(() => redis.disconnect());

  it('keeps at most turnIndexMax turns (the oldest go) and gives the key the retention as TTL', async () => {
    prefix = uniquePrefix('turn-index-max');
    client = createTurnClient({ redis, keyPrefix: prefix, resolveModel, turnIndexMax: 10, retentionSeconds: 3600 });
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push((await client.submitTurn(hello(`t${i}`), { idempotencyKey: `k-${i}` })).turnId);
    const index = turnKeys(prefix).turnIndex;
    expect(await redis.zcard(index)).toBe(10);
    const ttl = await redis.ttl(index);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    const page = await client.listTurns({ limit: 200 });
    expect(page.turns.map((t) => t.turnId)).toEqual(ids.slice(5).reverse());
    expect(page.nextCursor).toBeNull();
    expect(page.turns[0]).toMatchObject({ state: 'queued', modelId: model, hostId: null, startedAt: null, errorCode: null });
    // A duplicate submit (same key, same body) is not indexed twice.
    await client.submitTurn(hello('t14'), { idempotencyKey: 'k-14' });
    expect(await redis.zcard(index)).toBe(10);
  });

  it('drops turns whose record expired: skipped in a listing, trimmed from the index by the next submit', async () => {
    prefix = uniquePrefix('turn-index-ttl');
    client = createTurnClient({ redis, keyPrefix: prefix, resolveModel, retentionSeconds: 1 });
    const old = await client.submitTurn(hello('old'), { idempotencyKey: 'old' });
    expect((await client.listTurns()).turns.map((t) => t.turnId)).toEqual([old.turnId]);
    await new Promise((r) => setTimeout(r, 1300));
    // The record expired with the retention: the listing skips the entry even before a trim.
    expect(await redis.exists(turnKeys(prefix).record(old.turnId))).toBe(0);
    expect((await client.listTurns()).turns).toEqual([]);
    const fresh = await client.submitTurn(hello('fresh'), { idempotencyKey: 'fresh' });
    expect(await redis.zrange(turnKeys(prefix).turnIndex, '0', '-1')).toEqual([fresh.turnId]);
  });

  it('a terminal event written outside an attempt (cancel of a queued turn) ends the turn in its record', async () => {
    prefix = uniquePrefix('turn-index-cancel');
    client = createTurnClient({ redis, keyPrefix: prefix, resolveModel });
    const { turnId } = await client.submitTurn(hello('cancel me'), { idempotencyKey: 'c' });
    await client.cancelTurn(turnId, 'tester');
    const [item] = (await client.listTurns({ state: 'cancelled' })).turns;
    expect(item).toMatchObject({ turnId, state: 'cancelled', errorCode: 'cancelled', hostId: null });
    expect(item?.endedAt).toEqual(expect.any(Number));
    // A second terminal event is refused by the log, and the record keeps the first end.
    expect(await appendTurnEvent(redis, prefix, turnId, { type: 'turn-error', code: 'internal', message: 'x', retryable: false }, 60)).toBe(
      false,
    );
    expect((await client.listTurns()).turns[0]).toMatchObject({ state: 'cancelled' });
  });

  it('pages by cursor across turns submitted in the same millisecond, and refuses a forged cursor naming it', async () => {
    prefix = uniquePrefix('turn-index-same-ms');
    // Index entries with one score and records to match, written as the claim and the index write them.
    const ids = Array.from({ length: 9 }, (_, i) => `same-${i}`);
    for (const id of ids) {
      await redis.hset(turnKeys(prefix).record(id), {
        modelId: model,
        ref: `amazon-bedrock/${model}`,
        submittedAt: '1000',
        fingerprint: 'f',
      });
      await redis.expire(turnKeys(prefix).record(id), 60);
      await indexTurn(redis, prefix, id, Date.now(), 60, 100);
    }
    const at = Date.now();
    for (const id of ids) await redis.zadd(turnKeys(prefix).turnIndex, String(at), id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await listTurns(redis, prefix, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.turns.map((t) => t.turnId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    await expect(listTurns(redis, prefix, { cursor: '12:../x' })).rejects.toMatchObject({ code: 'invalid_request', field: 'cursor' });
    await expect(listTurns(redis, prefix, { limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(listTurns(redis, prefix, { state: 'done' as never })).rejects.toMatchObject({ field: 'state' });
  });
});
