import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import { createTurnWriter } from './create-turn-writer.ts';
import { publishBatchCommand, type FenceMode } from './publish-batch-script.ts';
import { lastTurnEvent } from './read-last-turn-event.ts';
import { readTurnEvents } from './read-turn-events.ts';
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

describe('createTurnWriter', () => {
  const prefix = uniquePrefix('turn-writer');
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('stamps turnId, attempt, seq 1..N and ts, and stores each event once in order', async () => {
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'stamp', attempt: 2 });
    expect(w.lastSeq).toBe(0);
    const written = await Promise.all(Array.from({ length: 150 }, (_, i) => w.write({ type: 'text-delta', text: `t${i}` })));
    expect(written.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(written.every((e) => e.turnId === 'stamp' && e.attempt === 2 && typeof e.ts === 'number')).toBe(true);
    const stored = await readTurnEvents<Ev>(redis, prefix, 'stamp');
    expect(stored).toEqual(written);
    expect(w.durableSeq).toBe(150);
    const ids = (await redis.xrange(turnKeys(prefix).events('stamp'), '-', '+')).map(([id]) => id);
    expect(ids).toEqual(Array.from({ length: 150 }, (_, i) => `${i + 1}-0`));
  });

  it('append() queues like write() without a promise: seqs in order, durable after flush(); refusals throw at once', async () => {
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'append', maxEventBytes: 300 });
    const seqs = Array.from({ length: 40 }, (_, i) => w.append({ type: 'text-delta', text: `a${i}` }));
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(w.durableSeq).toBe(0);
    await w.flush();
    expect(w.durableSeq).toBe(40);
    expect(() => w.append({ type: 'bad type' } as never)).toThrow(expect.objectContaining({ code: 'invalid_event' }));
    // 200 three-byte characters: 200 UTF-16 units, 600 UTF-8 bytes (the byte count, not the length, is checked).
    expect(() => w.append({ type: 'text-delta', text: '€'.repeat(200) })).toThrow(expect.objectContaining({ code: 'event_too_large' }));
    await w.write({ type: 'turn-end' });
    expect(() => w.append({ type: 'text-delta', text: 'late' })).toThrow(expect.objectContaining({ code: 'turn_ended' }));
    const stored = await readTurnEvents<Ev>(redis, prefix, 'append');
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(stored.at(-2)).toMatchObject({ type: 'text-delta', text: 'a39' });
  });

  it('nothing can follow a terminal event: a second writer that opened after it is refused (turn_ended)', async () => {
    const a = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'ended' });
    void a.write({ type: 'text-delta', text: 'x' });
    await a.write({ type: 'turn-end' });
    // A second host (or a zombie attempt) opens after the end and tries to write.
    const b = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'ended', attempt: 2 });
    expect(b.lastSeq).toBe(2);
    await expect(b.write({ type: 'turn-end' })).rejects.toMatchObject({ code: 'turn_ended', retryable: false });
    await expect(b.write({ type: 'text-delta', text: 'y' })).rejects.toMatchObject({ code: 'turn_ended' });
    expect((await readTurnEvents<Ev>(redis, prefix, 'ended')).map((e) => [e.seq, e.type])).toEqual([
      [1, 'text-delta'],
      [2, 'turn-end'],
    ]);
    // Only the terminal entry is marked.
    const fields = (await redis.xrange(turnKeys(prefix).events('ended'), '-', '+')).map(([, f]) => f.filter((_, i) => i % 2 === 0));
    expect(fields).toEqual([['e'], ['e', 't']]);
  });

  it('takes the newest event from the caller (no read of its own); a stale one is refused by the fence', async () => {
    const a = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'known-last' });
    const first = await a.write({ type: 'text-delta', text: 'one' });
    const b = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'known-last', attempt: 2, lastEvent: first });
    expect(b.lastSeq).toBe(1);
    expect((await b.write({ type: 'text-delta', text: 'two' })).seq).toBe(2);
    const stale = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'known-last', attempt: 3, lastEvent: null });
    await expect(stale.write({ type: 'text-delta', text: 'zombie' })).rejects.toMatchObject({ code: 'seq_conflict' });
    expect((await readTurnEvents<Delta>(redis, prefix, 'known-last')).map((e) => e.text)).toEqual(['one', 'two']);
  });

  it('two writers racing to end the same turn: exactly one terminal event is stored', async () => {
    for (let round = 0; round < 20; round++) {
      const turnId = `race-end-${round}`;
      const [a, b] = await Promise.all([
        createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId }),
        createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId }),
      ]);
      const results = await Promise.allSettled([a.write({ type: 'turn-end' }), b.write({ type: 'turn-end' })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await readTurnEvents<Ev>(redis, prefix, turnId)).filter((e) => e.type === 'turn-end')).toHaveLength(1);
    }
  });

  it('the envelope cannot be forged by the event body', async () => {
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'forge' });
    const e = await w.write({ type: 'text-delta', text: 'x', seq: 99, turnId: 'other', attempt: 7 } as unknown as Omit<Delta, 'seq'>);
    expect(e).toMatchObject({ seq: 1, turnId: 'forge', attempt: 1 });
  });

  it('sets the TTL with the terminal event, not before, and refuses writes after it', async () => {
    const key = turnKeys(prefix).events('ttl');
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'ttl', ttlSeconds: 1234 });
    await w.write({ type: 'text-delta', text: 'a' });
    await w.write({ type: 'text-delta', text: 'b' });
    expect(await redis.ttl(key)).toBe(-1);
    await w.write({ type: 'turn-end' });
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(1200);
    expect(ttl).toBeLessThanOrEqual(1234);
    expect(w.ended).toBe(true);
    await expect(w.write({ type: 'text-delta', text: 'late' })).rejects.toMatchObject({ code: 'turn_ended' });
    expect(await lastSeq(redis, prefix, 'ttl')).toBe(3);
  });

  it('a second attempt continues seq from the stream', async () => {
    const w1 = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'retry', attempt: 1 });
    for (let i = 0; i < 5; i++) void w1.write({ type: 'text-delta', text: `a${i}` });
    await w1.flush();
    const w2 = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'retry', attempt: 2 });
    expect(w2.lastSeq).toBe(5);
    await w2.write({ type: 'text-delta', text: 'b' });
    await w2.write({ type: 'turn-end' });
    const all = await readTurnEvents<Ev>(redis, prefix, 'retry');
    expect(all.map((e) => [e.seq, e.attempt])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
      [6, 2],
      [7, 2],
    ]);
  });

  it('a zombie writer of an earlier attempt is fenced off (seq_conflict), adding nothing', async () => {
    const old = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'zombie', attempt: 1 });
    await old.write({ type: 'text-delta', text: 'a' });
    const fresh = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'zombie', attempt: 2 });
    await fresh.write({ type: 'text-delta', text: 'b' });
    await expect(old.write({ type: 'text-delta', text: 'stale' })).rejects.toMatchObject({ code: 'seq_conflict', retryable: false });
    await expect(old.write({ type: 'text-delta', text: 'again' })).rejects.toMatchObject({ code: 'seq_conflict' });
    await fresh.write({ type: 'turn-end' });
    const all = await readTurnEvents<Ev>(redis, prefix, 'zombie');
    expect(all.map((e) => [e.seq, e.attempt])).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
  });

  it('a stream that lost confirmed events (deleted, expired) stops the writer with seq_gap', async () => {
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'lost' });
    await w.write({ type: 'text-delta', text: 'a' });
    await redis.del(turnKeys(prefix).events('lost'));
    await expect(w.write({ type: 'text-delta', text: 'b' })).rejects.toMatchObject({ code: 'seq_gap', retryable: false });
    await expect(w.flush()).rejects.toMatchObject({ code: 'seq_gap' });
    expect(await lastSeq(redis, prefix, 'lost')).toBe(0);
  });

  it('a retried batch (the same script call twice) adds no duplicates and publishes nothing new', async () => {
    const keys = turnKeys(prefix);
    const stream = keys.events('dup');
    const publish = publishBatchCommand(redis);
    const sub = redis.duplicate();
    const messages: string[] = [];
    sub.on('message', (_c: string, m: string) => messages.push(m));
    await sub.subscribe(keys.live('dup'));
    const events = (seqs: number[]) =>
      seqs.map((seq) => ({ seq, json: JSON.stringify({ type: 'text-delta', turnId: 'dup', attempt: 1, seq, ts: 1 }) }));
    const send = (mode: FenceMode, seqs: number[]) =>
      publish([{ stream, channel: keys.live('dup'), ttlSeconds: 0, terminal: false, mode, events: events(seqs) }]);
    expect(await send('checked', [1, 2, 3])).toEqual([{ added: 3, lastSeq: 3 }]);
    expect(await send('retry', [1, 2, 3])).toEqual([{ added: 0, lastSeq: 3 }]);
    // A retry that overlaps: 2 and 3 are present, 4 is new.
    expect(await send('retry', [2, 3, 4])).toEqual([{ added: 1, lastSeq: 4 }]);
    // The same overlap sent as a first send is a conflict and writes nothing, checked or fenced.
    expect(await send('checked', [2, 3, 4])).toEqual([{ refused: expect.stringMatching(/^TURNPOOL_SEQ_CONFLICT/) }]);
    expect(await send('fenced', [4, 5])).toEqual([
      { refused: expect.stringMatching(/^TURNPOOL_SEQ_CONFLICT stream ends at 4, batch starts at 4/) },
    ]);
    // A batch beyond the end is a gap and writes nothing.
    expect(await send('retry', [9])).toEqual([{ refused: expect.stringMatching(/^TURNPOOL_SEQ_GAP/) }]);
    expect(await send('checked', [9])).toEqual([{ refused: expect.stringMatching(/^TURNPOOL_SEQ_GAP/) }]);
    // A fenced batch on a stream that is gone is a gap: NOMKSTREAM does not recreate it.
    expect(
      await publish([
        { stream: keys.events('gone'), channel: keys.live('gone'), ttlSeconds: 0, terminal: false, mode: 'fenced', events: events([5]) },
      ]),
    ).toEqual([{ refused: 'TURNPOOL_SEQ_GAP stream ends at 0, batch starts at 5' }]);
    expect(await redis.exists(keys.events('gone'))).toBe(0);
    expect((await redis.xrange(stream, '-', '+')).map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0']);
    await redis.ping();
    await sub.ping();
    expect(messages.map((m) => (JSON.parse(m) as { seq: number }[]).map((e) => e.seq))).toEqual([[1, 2, 3], [4]]);
    await sub.quit();
  });

  it('one script call carries several turns; a refused turn does not stop the others', async () => {
    const keys = turnKeys(prefix);
    const publish = publishBatchCommand(redis);
    const ev = (turnId: string, seq: number, type = 'text-delta') => ({
      seq,
      json: JSON.stringify({ type, turnId, attempt: 1, seq, ts: 1 }),
    });
    const batch = (turnId: string, mode: FenceMode, seqs: number[], terminal = false) => ({
      stream: keys.events(turnId),
      channel: keys.live(turnId),
      ttlSeconds: terminal ? 60 : 0,
      terminal,
      mode,
      events: seqs.map((seq, i) => ev(turnId, seq, terminal && i === seqs.length - 1 ? 'turn-end' : 'text-delta')),
    });
    expect(await publish([batch('m1', 'checked', [1, 2]), batch('m2', 'checked', [1], true), batch('m3', 'checked', [3])])).toEqual([
      { added: 2, lastSeq: 2 },
      { added: 1, lastSeq: 1 },
      { refused: 'TURNPOOL_SEQ_GAP stream ends at 0, batch starts at 3' },
    ]);
    // Another writer ended m4 at seq 2 after our writer's confirmed seq 1: our fenced batch 2-3 is
    // refused by XADD's id fence, the top is read and says turn_ended; m1 goes on in the same call.
    expect(await publish([batch('m4', 'checked', [1])])).toEqual([{ added: 1, lastSeq: 1 }]);
    expect(await publish([batch('m4', 'checked', [2], true)])).toEqual([{ added: 1, lastSeq: 2 }]);
    expect(await publish([batch('m4', 'fenced', [2, 3]), batch('m1', 'fenced', [3], true)])).toEqual([
      { refused: 'TURNPOOL_TURN_ENDED stream ended at 2, batch ends at 3' },
      { added: 1, lastSeq: 3 },
    ]);
    expect(await redis.xlen(keys.events('m4'))).toBe(2);
    expect((await redis.xrange(keys.events('m1'), '-', '+')).map(([id, f]) => [id, f.length])).toEqual([
      ['1-0', 2],
      ['2-0', 2],
      ['3-0', 4],
    ]);
    expect(await redis.xlen(keys.events('m2'))).toBe(1);
    expect(await redis.ttl(keys.events('m1'))).toBeGreaterThan(0);
    expect(await redis.exists(keys.events('m3'))).toBe(0);
  });

  it('a turn ended by another writer refuses a fenced batch of a live writer (turn_ended), adding nothing after the terminal event', async () => {
    const live = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'raced', lingerMs: 0 });
    await live.write({ type: 'text-delta', text: 'a' });
    const other = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'raced', attempt: 2 });
    await other.write({ type: 'turn-end' });
    const late = [live.write({ type: 'text-delta', text: 'late' }), live.write({ type: 'text-delta', text: 'later' })];
    for (const w of late) await expect(w).rejects.toMatchObject({ code: 'turn_ended', retryable: false });
    const all = await readTurnEvents<Ev>(redis, prefix, 'raced');
    expect(all.map((e) => [e.seq, e.type])).toEqual([
      [1, 'text-delta'],
      [2, 'turn-end'],
    ]);
  });

  it('writers lingering on one connection share script calls and keep each turn intact', async () => {
    const turns = Array.from({ length: 12 }, (_, i) => `linger-${i}`);
    await Promise.all(
      turns.map(async (turnId, t) => {
        const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId, lingerMs: 5, lingerBytes: 2048 });
        for (let i = 0; i < 10; i++) {
          void w.write({ type: 'text-delta', text: `${turnId}:${i}` });
          await new Promise((r) => setTimeout(r, (i + t) % 3));
        }
        await w.write({ type: 'turn-end' });
      }),
    );
    for (const turnId of turns) {
      const all = await readTurnEvents<Ev>(redis, prefix, turnId);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(all.slice(0, 10).map((e) => (e as Delta).text)).toEqual(Array.from({ length: 10 }, (_, i) => `${turnId}:${i}`));
    }
  });

  it('many writers for different turns at once keep each turn intact', async () => {
    const turns = Array.from({ length: 20 }, (_, i) => `many-${i}`);
    await Promise.all(
      turns.map(async (turnId) => {
        const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId, maxBatch: 7 });
        const writes = Array.from({ length: 60 }, (_, i) => w.write({ type: 'text-delta', text: `${turnId}:${i}` }));
        writes.push(w.write({ type: 'turn-end' }));
        await Promise.all(writes);
      }),
    );
    for (const turnId of turns) {
      const all = await readTurnEvents<Ev>(redis, prefix, turnId);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
      expect(all.slice(0, 60).map((e) => (e as Delta).text)).toEqual(Array.from({ length: 60 }, (_, i) => `${turnId}:${i}`));
      expect(all.every((e) => e.turnId === turnId)).toBe(true);
    }
  });

  it('refuses malformed, oversized and unserialisable events without using a seq', async () => {
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'bad', maxEventBytes: 200 });
    const bad: unknown[] = [null, [], 'x', { text: 'no type' }, { type: 'a\nb' }, { type: '' }, { type: 5 }];
    for (const b of bad) await expect(w.write(b as Delta)).rejects.toMatchObject({ code: 'invalid_event', field: 'type' });
    await expect(w.write({ type: 'text-delta', text: 'x'.repeat(300) })).rejects.toMatchObject({
      code: 'event_too_large',
      field: 'maxEventBytes',
    });
    await expect(w.write({ type: 'text-delta', text: 1n } as unknown as Delta)).rejects.toMatchObject({ code: 'invalid_event' });
    const cyclic: Record<string, unknown> = { type: 'text-delta' };
    cyclic['self'] = cyclic;
    await expect(w.write(cyclic as unknown as Delta)).rejects.toMatchObject({ code: 'invalid_event' });
    const ok = await w.write({ type: 'text-delta', ...(JSON.parse('{"__proto__":{"polluted":1},"text":"fine"}') as object) } as Delta);
    expect(ok.seq).toBe(1);
    const [stored] = await readTurnEvents(redis, prefix, 'bad');
    expect(Object.hasOwn(stored ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('validates every option and names it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ turnId: '' }, 'turnId'],
      [{ turnId: 'a b' }, 'turnId'],
      [{ turnId: 'x'.repeat(300) }, 'turnId'],
      [{ turnId: 5 }, 'turnId'],
      [{ keyPrefix: 'a{b}' }, 'keyPrefix'],
      [{ keyPrefix: '' }, 'keyPrefix'],
      [{ attempt: 0 }, 'attempt'],
      [{ attempt: 1.5 }, 'attempt'],
      [{ attempt: '1' }, 'attempt'],
      [{ ttlSeconds: -1 }, 'ttlSeconds'],
      [{ maxBatch: 0 }, 'maxBatch'],
      [{ maxEventBytes: 1 }, 'maxEventBytes'],
      [{ lingerMs: -1 }, 'lingerMs'],
      [{ lingerMs: 101 }, 'lingerMs'],
      [{ lingerBytes: 10 }, 'lingerBytes'],
      [{ isTerminal: 'yes' }, 'isTerminal'],
      [{ redis: {} }, 'redis'],
    ];
    for (const [patch, field] of cases) {
      await expect(createTurnWriter({ redis, keyPrefix: prefix, turnId: 'opts', ...patch } as never)).rejects.toMatchObject({
        code: 'invalid_option',
        field,
        message: expect.stringContaining(field),
      });
    }
  });

  it('close() flushes, is idempotent, and refuses later writes', async () => {
    const w = await createTurnWriter<Ev>({ redis, keyPrefix: prefix, turnId: 'close' });
    void w.write({ type: 'text-delta', text: 'a' });
    const c1 = w.close();
    expect(w.close()).toBe(c1);
    await c1;
    expect(await lastSeq(redis, prefix, 'close')).toBe(1);
    await expect(w.write({ type: 'text-delta', text: 'b' })).rejects.toMatchObject({ code: 'writer_closed' });
  });
});

describe('createTurnWriter with the protocol types (the defaults)', () => {
  const prefix = uniquePrefix('turn-writer-protocol');
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    await redis.quit();
  });

  it('writes TurnEvent bodies and treats turn-error as terminal', async () => {
    const w = await createTurnWriter({ redis, keyPrefix: prefix, turnId: 'proto' });
    await w.write({ type: 'turn-start', model: 'amazon-bedrock/x', modelId: 'x', region: 'us-east-1', worker: 'h:1:0' });
    await w.write({ type: 'text-delta', index: 0, text: 'hi' });
    const end = await w.write({ type: 'turn-error', code: 'rate_limited', message: 'slow down', retryable: true });
    expect(end).toMatchObject({ type: 'turn-error', seq: 3, turnId: 'proto', attempt: 1 });
    expect(w.ended).toBe(true);
    expect(await redis.ttl(turnKeys(prefix).events('proto'))).toBeGreaterThan(0);
    const all = await readTurnEvents(redis, prefix, 'proto');
    expect(all.map((e) => e.type)).toEqual(['turn-start', 'text-delta', 'turn-error']);
  });
});
