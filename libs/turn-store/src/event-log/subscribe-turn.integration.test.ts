import type { Logger } from '@turnpool/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { cleanupPrefix, startRedisCluster, testRedisUrl, uniquePrefix, type OwnRedisCluster } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import { createTurnWriter, type TurnWriter } from './create-turn-writer.ts';
import { duplicateSubscriber } from './duplicate-subscriber.ts';
import { subscribeTurn } from './subscribe-turn.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

interface Delta extends TurnStreamEvent {
  type: 'text-delta';
  text: string;
}
interface End extends TurnStreamEvent {
  type: 'turn-end';
}
type Ev = Delta | End;

async function collect<E>(iter: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of iter) out.push(e);
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 5));
}

/** Subscribers on one node (classic pub/sub) and on a Redis Cluster (sharded pub/sub, each turn in its own slot). */
describe.each(['one node', 'a Redis Cluster'] as const)('subscribeTurn on %s', (target) => {
  const prefix = uniquePrefix('turn-sub');
  const keys = turnKeys(prefix);
  let redis: Redis | Cluster;
  let cluster: OwnRedisCluster | undefined;
  beforeAll(async () => {
    if (target === 'one node') {
      redis = new Redis(testRedisUrl());
      return;
    }
    cluster = await startRedisCluster();
    redis = cluster.client();
  }, 60_000);
  afterAll(async () => {
    if (cluster) {
      redis.disconnect();
      await cluster.stop();
      return;
    }
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  /** Subscribers of the turn's live channel (on a Cluster: shard channel subscribers, summed over the masters). */
  const numsub = async (turnId: string): Promise<number> => {
    if (!redis.isCluster) return Number(((await redis.pubsub('NUMSUB', keys.live(turnId))) as unknown[])[1]);
    let n = 0;
    for (const port of (await cluster?.masterPorts()) ?? []) {
      const node = cluster!.connectNode(port);
      n += Number(((await node.pubsub('SHARDNUMSUB', keys.live(turnId))) as unknown[])[1]);
      node.disconnect();
    }
    return n;
  };
  const writer = (turnId: string, extra: { attempt?: number; maxBatch?: number } = {}) =>
    createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId, ...extra });
  const writeDeltas = (w: TurnWriter<Ev>, n: number) => Promise.all(range(1, n).map((i) => w.write({ type: 'text-delta', text: `d${i}` })));

  it('a subscriber that is there from the start sees 1..N in order exactly once and ends after the terminal event', async () => {
    const sub = collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'live' }));
    await until(async () => (await numsub('live')) === 1);
    const w = await writer('live');
    await writeDeltas(w, 300);
    await w.write({ type: 'turn-end' });
    const got = await sub;
    expect(got.map((e) => e.seq)).toEqual(range(1, 301));
    expect(got.at(-1)?.type).toBe('turn-end');
    expect((got[4] as Delta).text).toBe('d5');
    await until(async () => (await numsub('live')) === 0);
  });

  it('joining mid-turn and resuming with `after` both get the whole rest exactly once', async () => {
    const w = await writer('mid');
    await writeDeltas(w, 50);
    const joined = collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'mid' }));
    const resumed = collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'mid', after: 30 }));
    await writeDeltas(w, 50);
    await w.write({ type: 'turn-end' });
    expect((await joined).map((e) => e.seq)).toEqual(range(1, 101));
    expect((await resumed).map((e) => e.seq)).toEqual(range(31, 101));
  });

  it('a turn that already ended is replayed and the iteration ends; resuming at its end yields nothing', async () => {
    const w = await writer('done');
    await writeDeltas(w, 1200); // more than two XRANGE pages
    await w.write({ type: 'turn-end' });
    expect((await collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'done' }))).map((e) => e.seq)).toEqual(range(1, 1201));
    expect((await collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'done', after: 1199 }))).map((e) => e.seq)).toEqual([
      1200, 1201,
    ]);
    expect(await collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'done', after: 1201 }))).toEqual([]);
    expect(await collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'done', after: 5000 }))).toEqual([]);
  });

  it('waits for a turn that does not exist yet, or ends with turn_not_found after waitTimeoutMs', async () => {
    const sub = collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'later' }));
    await until(async () => (await numsub('later')) === 1);
    const w = await writer('later');
    await writeDeltas(w, 3);
    await w.write({ type: 'turn-end' });
    expect((await sub).map((e) => e.seq)).toEqual([1, 2, 3, 4]);

    await expect(collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'never', waitTimeoutMs: 50 }))).rejects.toMatchObject({
      code: 'turn_not_found',
      field: 'turnId',
    });
    expect(await numsub('never')).toBe(0);
  });

  it('writes racing with subscribe never lose or duplicate an event', async () => {
    const shared = duplicateSubscriber(redis);
    try {
      for (let round = 0; round < 120; round++) {
        const turnId = `race-${round}`;
        const w = await writer(turnId, { maxBatch: 1 + (round % 5) });
        const n = 40;
        const writes: Promise<unknown>[] = [];
        let sub: Promise<Ev[]> | undefined;
        for (let i = 1; i <= n; i++) {
          if (i === 1 + (round % n)) {
            sub = collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId, subscriber: round % 2 ? shared : undefined }));
          }
          writes.push(w.write({ type: 'text-delta', text: `${i}` }));
          if (i % 7 === round % 7) await Promise.resolve();
        }
        writes.push(w.write({ type: 'turn-end' }));
        await Promise.all(writes);
        expect(
          (await sub)?.map((e) => e.seq),
          turnId,
        ).toEqual(range(1, n + 1));
      }
    } finally {
      shared.disconnect();
    }
  });
});

describe('subscribeTurn', () => {
  const prefix = uniquePrefix('turn-sub');
  const keys = turnKeys(prefix);
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  const numsub = async (turnId: string) => Number((await redis.pubsub('NUMSUB', keys.live(turnId)))[1]);
  const clientNames = async () => ((await redis.client('LIST')) as string).split('\n').map((l) => /name=(\S*)/.exec(l)?.[1] ?? '');
  const writer = (turnId: string, extra: { attempt?: number; maxBatch?: number } = {}) =>
    createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId, ...extra });
  const writeDeltas = (w: TurnWriter<Ev>, n: number) => Promise.all(range(1, n).map((i) => w.write({ type: 'text-delta', text: `d${i}` })));

  it('a live gap is read from the stream', async () => {
    const w = await writer('gap');
    const it = subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'gap', idleCheckMs: 0 })[Symbol.asyncIterator]();
    const first = it.next();
    await until(async () => (await numsub('gap')) === 1);
    await w.write({ type: 'text-delta', text: 'one' });
    expect((await first).value?.seq).toBe(1);
    // Entries 2 and 3 land in the stream without a live message (as if the message was lost).
    for (const seq of [2, 3]) {
      await redis.xadd(
        keys.events('gap'),
        `${seq}-0`,
        'e',
        JSON.stringify({ type: 'text-delta', turnId: 'gap', attempt: 1, seq, ts: 1, text: 'raw' }),
      );
    }
    const w2 = await writer('gap', { attempt: 2 });
    await w2.write({ type: 'turn-end' });
    const rest: Ev[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest.map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it('with no live message for idleCheckMs it reads the stream (a lost message, a lost terminal event)', async () => {
    const w = await writer('idle');
    const it = subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'idle', idleCheckMs: 20 })[Symbol.asyncIterator]();
    const first = it.next();
    await until(async () => (await numsub('idle')) === 1);
    await w.write({ type: 'text-delta', text: 'one' });
    expect((await first).value?.seq).toBe(1);
    for (const [seq, type] of [
      [2, 'text-delta'],
      [3, 'turn-end'],
    ] as const) {
      await redis.xadd(keys.events('idle'), `${seq}-0`, 'e', JSON.stringify({ type, turnId: 'idle', attempt: 1, seq, ts: 1, text: '' }));
    }
    expect((await it.next()).value?.seq).toBe(2);
    expect((await it.next()).value?.seq).toBe(3);
    expect((await it.next()).done).toBe(true);
  });

  it('a slow consumer does not buffer without bound: past maxBuffered it re-reads the stream, losing and repeating nothing', async () => {
    const debug: string[] = [];
    const logger: Logger = { debug: (_o, m) => debug.push(m ?? ''), info: () => {}, warn: () => {}, error: () => {} };
    const w = await writer('slow', { maxBatch: 3 });
    const it = subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'slow', maxBuffered: 5, logger })[Symbol.asyncIterator]();
    const first = it.next();
    await until(async () => (await numsub('slow')) === 1);
    await w.write({ type: 'text-delta', text: 'first' });
    expect((await first).value?.seq).toBe(1);
    // The consumer does not pull while 200 events are published.
    await writeDeltas(w, 200);
    await w.write({ type: 'turn-end' });
    await redis.ping();
    const rest: Ev[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest.map((e) => e.seq)).toEqual(range(2, 202));
    expect(debug).toContain('live buffer full; reading the stream instead');
  });

  it('an undecodable live message makes it read the stream instead', async () => {
    const warn: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: (_o, m) => warn.push(m ?? ''), error: () => {} };
    const it = subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'junk', logger, idleCheckMs: 0 })[Symbol.asyncIterator]();
    const first = it.next();
    await until(async () => (await numsub('junk')) === 1);
    for (const junk of ['not json', '{"seq":1}', '[{"type":"x","seq":-1}]', '[{"__proto__":{"seq":1},"type":"x"}]']) {
      await redis.publish(keys.live('junk'), junk);
    }
    const w = await writer('junk');
    await w.write({ type: 'text-delta', text: 'ok' });
    await w.write({ type: 'turn-end' });
    expect((await first).value?.seq).toBe(1);
    expect((await it.next()).value?.seq).toBe(2);
    expect((await it.next()).done).toBe(true);
    expect(warn.filter((m) => m.startsWith('undecodable')).length).toBeGreaterThanOrEqual(4);
  });

  it('abort ends the iteration quietly and closes its connection', async () => {
    const ac = new AbortController();
    const it = subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'abort', signal: ac.signal })[Symbol.asyncIterator]();
    const pending = it.next();
    await until(async () => (await clientNames()).includes('turn-sub:abort'));
    ac.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await clientNames()).not.toContain('turn-sub:abort');
    expect(await numsub('abort')).toBe(0);
    // An already aborted signal never opens a connection.
    expect(await collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'abort', signal: ac.signal }))).toEqual([]);
  });

  it('breaking out of the loop closes its connection', async () => {
    const w = await writer('break');
    await writeDeltas(w, 5);
    for await (const e of subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'break' })) {
      expect(e.seq).toBe(1);
      expect(await clientNames()).toContain('turn-sub:break');
      break;
    }
    expect(await clientNames()).not.toContain('turn-sub:break');
    expect(await numsub('break')).toBe(0);
  });

  it('a shared subscriber connection is reference-counted per channel and never closed', async () => {
    const shared = redis.duplicate();
    const w = await writer('shared');
    await w.write({ type: 'text-delta', text: 'a' });
    const a = subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'shared', subscriber: shared })[Symbol.asyncIterator]();
    const b = collect(subscribeTurn<Ev>({ redis, keyPrefix: prefix, turnId: 'shared', subscriber: shared }));
    expect((await a.next()).value?.seq).toBe(1);
    await until(async () => (await numsub('shared')) === 1);
    await a.return();
    expect(await numsub('shared')).toBe(1); // b still listens
    await writeDeltas(w, 3);
    await w.write({ type: 'turn-end' });
    expect((await b).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    await until(async () => (await numsub('shared')) === 0);
    expect(shared.status).toBe('ready');
    await shared.quit();
  });

  it('validates every option and names it', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ turnId: '' }, 'turnId'],
      [{ turnId: 'a:b' }, 'turnId'],
      [{ turnId: '__proto__{' }, 'turnId'],
      [{ keyPrefix: '{x}' }, 'keyPrefix'],
      [{ after: -1 }, 'after'],
      [{ after: 1.5 }, 'after'],
      [{ after: '3' }, 'after'],
      [{ maxBuffered: 0 }, 'maxBuffered'],
      [{ idleCheckMs: -1 }, 'idleCheckMs'],
      [{ waitTimeoutMs: 0 }, 'waitTimeoutMs'],
      [{ signal: {} }, 'signal'],
      [{ subscriber: 1 }, 'subscriber'],
      [{ redis: null }, 'redis'],
      [{ isTerminal: 1 }, 'isTerminal'],
    ];
    for (const [patch, field] of cases) {
      expect(() => subscribeTurn({ redis, keyPrefix: prefix, turnId: 'opts', ...patch } as never)).toThrow(
        expect.objectContaining({ code: 'invalid_option', field, message: expect.stringContaining(field) }),
      );
    }
  });
});
