import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type OwnRedisServer } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import { createTurnWriter } from './create-turn-writer.ts';
import { lastTurnEvent } from './read-last-turn-event.ts';
import { readTurnEvents } from './read-turn-events.ts';
import { subscribeTurn } from './subscribe-turn.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

const lastSeq = async (...args: Parameters<typeof lastTurnEvent>): Promise<number> => (await lastTurnEvent(...args))?.seq ?? 0;

interface Delta extends TurnStreamEvent {
  type: 'text-delta';
  text: string;
}
interface End extends TurnStreamEvent {
  type: 'turn-end';
}
type Ev = Delta | End;

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}

/** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1] as string] = Number(m[2]);
  for (const k of Object.keys(out)) if (/^(info|config)\b/.test(k)) delete out[k];
  return out;
}

// A private redis-server: these tests stop it, pause it and reset its statistics.
describe('createTurnWriter against a private Redis', () => {
  let srv: OwnRedisServer;
  let admin: Redis;
  beforeAll(async () => {
    srv = await startRedisServer({ appendOnly: true });
    admin = new Redis(srv.url, { retryStrategy: () => 20 });
    admin.on('error', () => {});
  });
  afterAll(async () => {
    admin.disconnect();
    await srv.close();
  });

  const connect = async (extra: Record<string, unknown> = {}) => {
    const r = new Redis(srv.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 20, ...extra });
    r.on('error', () => {});
    await until(() => r.status === 'ready');
    return r;
  };

  it('sends one script call (EVALSHA) per batch and nothing else', async () => {
    const redis = await connect();
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: 'rt', turnId: 'count', maxBatch: 64 });
    await w.write({ type: 'text-delta', text: 'warm-up' }); // the connection's first call is EVAL, then EVALSHA
    await admin.config('RESETSTAT');

    // Ten events at hand: one batch.
    await Promise.all(Array.from({ length: 10 }, (_, i) => w.write({ type: 'text-delta', text: `a${i}` })));
    let calls = await commandCalls(admin);
    expect(calls['evalsha']).toBe(1);
    expect(calls['eval'] ?? 0).toBe(0);
    // Inside the script: ten XADDs, one PUBLISH. The stream is not read (only a writer's first
    // batch reads its top; XADD's id fence guards the later ones). Nothing else reached Redis.
    expect(calls).toEqual({ evalsha: 1, xadd: 10, publish: 1 });

    // One event in flight, twenty written meanwhile: they go out together in the second call.
    await admin.config('RESETSTAT');
    const first = w.write({ type: 'text-delta', text: 'b0' });
    await Promise.resolve(); // the writer sends on the next microtask: b0 is now in flight
    expect(w.durableSeq).toBe(11);
    const more = Array.from({ length: 20 }, (_, i) => w.write({ type: 'text-delta', text: `b${i + 1}` }));
    await Promise.all([first, ...more]);
    calls = await commandCalls(admin);
    expect(calls['evalsha']).toBe(2);
    expect(calls['publish']).toBe(2);

    // 130 at hand with maxBatch 64: three calls, and the terminal batch sets the TTL in the same call.
    await admin.config('RESETSTAT');
    const writes = Array.from({ length: 129 }, (_, i) => w.write({ type: 'text-delta', text: `c${i}` }));
    writes.push(w.write({ type: 'turn-end' }));
    await Promise.all(writes);
    calls = await commandCalls(admin);
    expect(calls).toEqual({ evalsha: 3, xadd: 130, publish: 3, expire: 1 });
    expect((await readTurnEvents(redis, 'rt', 'count')).map((e) => e.seq)).toEqual(Array.from({ length: 162 }, (_, i) => i + 1));
    redis.disconnect();
  });

  it('batches of many turns written within lingerMs share one script call', async () => {
    const redis = await connect();
    const writers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createTurnWriter<Ev>({ redis, keyPrefix: 'rt', turnId: `linger-${i}`, lingerMs: 20 })),
    );
    await Promise.all(writers.map((w) => w.write({ type: 'text-delta', text: 'warm-up' }))); // each writer's first batch reads its stream's top
    await admin.config('RESETSTAT');
    // One event per turn, each from its own timer callback (as chunks from separate HTTP/2 streams arrive): one call for all ten.
    await Promise.all(
      writers.map((w, i) => new Promise((r) => setTimeout(r, i % 3)).then(() => w.write({ type: 'text-delta', text: 'x' }))),
    );
    expect(await commandCalls(admin)).toEqual({ evalsha: 1, xadd: 10, publish: 10 });
    // The byte bound sends before the time bound: with lingerBytes 1024, ~200-byte events leave in calls of five or six.
    await admin.config('RESETSTAT');
    const small = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createTurnWriter<Ev>({ redis, keyPrefix: 'rt', turnId: `linger-${i}`, lingerMs: 100, lingerBytes: 1024 }),
      ),
    );
    const t0 = performance.now();
    await Promise.all(small.map((w) => w.write({ type: 'text-delta', text: 'y'.repeat(100) })));
    const calls = await commandCalls(admin);
    expect(calls['evalsha']).toBe(2);
    expect(calls['xadd']).toBe(10);
    expect(calls['xrevrange']).toBe(20); // new writers: one read each at open, and their first batch is checked
    expect(performance.now() - t0).toBeLessThan(100 + 50);
    redis.disconnect();
  });

  it('Redis down: the write is rejected (retryable); after Redis is back the writer goes on without duplicates', async () => {
    const redis = await connect();
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: 'rt', turnId: 'outage' });
    await w.write({ type: 'text-delta', text: 'before' });

    await srv.stop();
    await until(() => redis.status !== 'ready');
    await expect(w.write({ type: 'text-delta', text: 'during' })).rejects.toMatchObject({ code: 'redis_unavailable', retryable: true });
    await expect(w.flush()).rejects.toMatchObject({ code: 'redis_unavailable' });
    expect(w.durableSeq).toBe(1);

    await srv.start();
    await until(() => redis.status === 'ready');
    const after = await w.write({ type: 'text-delta', text: 'after' });
    expect(after.seq).toBe(3);
    await w.write({ type: 'turn-end' });
    const all = await readTurnEvents<Ev>(redis, 'rt', 'outage');
    expect(all.map((e) => [e.seq, e.type === 'text-delta' ? e.text : e.type])).toEqual([
      [1, 'before'],
      [2, 'during'],
      [3, 'after'],
      [4, 'turn-end'],
    ]);
    redis.disconnect();
  });

  it('a batch that timed out but landed is not duplicated when flush() sends it again', async () => {
    const redis = await connect({ commandTimeout: 100 });
    const reader = await connect();
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: 'rt', turnId: 'timeout' });
    await w.write({ type: 'text-delta', text: 'a' });
    const live = (async () => {
      const got: number[] = [];
      for await (const e of subscribeTurn<Ev>({ redis: reader, keyPrefix: 'rt', turnId: 'timeout' })) got.push(e.seq);
      return got;
    })();

    await admin.client('PAUSE', 600, 'WRITE');
    const slow = [w.write({ type: 'text-delta', text: 'b' }), w.write({ type: 'text-delta', text: 'c' })];
    await expect(slow[0]).rejects.toMatchObject({ code: 'redis_unavailable', retryable: true });
    await expect(slow[1]).rejects.toMatchObject({ code: 'redis_unavailable' });
    // The paused call still runs once the pause ends.
    await until(async () => (await lastSeq(reader, 'rt', 'timeout')) === 3);
    await w.flush();
    await w.write({ type: 'turn-end' });
    expect((await readTurnEvents(reader, 'rt', 'timeout')).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(await live).toEqual([1, 2, 3, 4]);
    redis.disconnect();
    reader.disconnect();
  });
});

describe('subscribeTurn against a private Redis', () => {
  let srv: OwnRedisServer;
  let admin: Redis;
  beforeAll(async () => {
    srv = await startRedisServer({ appendOnly: true });
    admin = new Redis(srv.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await srv.close();
  });

  it('reads the stream after its connection comes back, so events published meanwhile are not lost', async () => {
    // The subscriber's connection (a duplicate of `reader`) waits 300 ms before reconnecting.
    const reader = new Redis(srv.url, { retryStrategy: () => 300 });
    reader.on('error', () => {});
    const w = await createTurnWriter<Ev>({ redis: admin, keyPrefix: 'rc', turnId: 'reconnect' });
    const it = subscribeTurn<Ev>({ redis: reader, keyPrefix: 'rc', turnId: 'reconnect', idleCheckMs: 0 })[Symbol.asyncIterator]();
    const first = it.next();
    const subId = async () => /id=(\d+) .*name=turn-sub:reconnect /.exec((await admin.client('LIST')) as string)?.[1];
    await until(
      async () => (await subId()) !== undefined && Number((await admin.pubsub('NUMSUB', turnKeys('rc').live('reconnect')))[1]) === 1,
    );
    await w.write({ type: 'text-delta', text: 'one' });
    expect((await first).value?.seq).toBe(1);

    await admin.client('KILL', 'ID', (await subId()) as string);
    // Published while the subscriber is disconnected: no live message reaches it.
    await w.write({ type: 'text-delta', text: 'two' });
    await w.write({ type: 'turn-end' });
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value.seq);
    expect(rest).toEqual([2, 3]);
    reader.disconnect();
  });
});
