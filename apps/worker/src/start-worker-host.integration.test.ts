import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startEmulator, planResponse, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import type { ResolvedModel, TurnEvent, TurnJobData } from '@turnpool/protocol';
import { readTurnEvents, turnKeys } from '@turnpool/turn-store';
import { createTurnClient, type TurnClient } from '@turnpool/turn-store/client';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { startWorkerHost, type WorkerHost } from './start-worker-host.ts';

const sonnet: ResolvedModel = {
  ref: 'amazon-bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0',
  modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  baseModelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text', 'image'],
  supportsPromptCache: true,
  cost: { input: 3, output: 15 },
};

const say = (text: string) => ({ model: sonnet.ref, messages: [{ role: 'user', content: [{ text }] }] });

async function collect(client: TurnClient, turnId: string): Promise<TurnEvent[]> {
  const out: TurnEvent[] = [];
  for await (const e of client.subscribeTurn(turnId)) out.push(e);
  return out;
}

function assertWellFormed(events: TurnEvent[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.type === 'turn-end' || e.type === 'turn-error' || e.type === 'turn-cancelled')).toHaveLength(1);
}

for (const inline of [false, true]) {
  describe(`worker host (${inline ? 'inline' : 'piscina threads'}) against the emulator`, () => {
    let emulator: EmulatorHandle;
    let redis: Redis;
    let host: WorkerHost;
    let client: TurnClient;
    const prefix = uniquePrefix('worker');
    const saved = { ...process.env };

    beforeAll(async () => {
      emulator = await startEmulator({ ttftMs: 5, tokensPerSecond: 2000, tokensPerChunk: 3 });
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: 'AKIDWORKERTEST',
        AWS_SECRET_ACCESS_KEY: 'worker-test-secret',
        AWS_REGION: 'us-east-1',
      });
      delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
      delete process.env['AWS_PROFILE'];
      redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
      host = await startWorkerHost({
        redisUrl: testRedisUrl(),
        keyPrefix: prefix,
        inline,
        maxThreads: 2,
        bedrockEndpoint: emulator.url,
        timeouts: { firstChunkMs: 5000, idleMs: 700, turnMs: 60_000 },
        shutdownGraceMs: 2000,
      });
      client = createTurnClient({ redis, keyPrefix: prefix, attempts: 2, backoffMs: 50, resolveModel: async () => sonnet });
    });
    afterAll(async () => {
      await client?.close();
      await host?.close();
      await cleanupPrefix(redis, prefix);
      redis.disconnect();
      await emulator?.close();
      process.env = saved;
    });

    it('streams reasoning, text and a tool call in order and ends with one turn-end carrying usage and cost', async () => {
      const request = say('What is the weather? [[reasoning 12]] [[tokens 20]] [[tool get_weather {"city":"Paris"}]]');
      const { turnId } = await client.submitTurn(request);
      const events = await collect(client, turnId);
      assertWellFormed(events);
      const kinds = [...new Set(events.map((e) => e.type))];
      expect(kinds).toEqual([
        'turn-start',
        'reasoning-delta',
        'block-end',
        'text-delta',
        'tool-call-start',
        'tool-input-delta',
        'turn-end',
      ]);
      const plan = planResponse(sonnet.modelId, {
        messages: [{ role: 'user', content: [{ text: request.messages[0]!.content[0]!.text }] }],
      });
      const text = events
        .filter((e) => e.type === 'text-delta')
        .map((e) => (e as { text: string }).text)
        .join('');
      const planned = plan.blocks
        .filter((b) => b.type === 'text')
        .map((b) => (b as { text: string }).text)
        .join('');
      expect(text).toBe(planned);
      const end = events.at(-1)!;
      expect(end.type).toBe('turn-end');
      if (end.type !== 'turn-end') return;
      expect(end.stopReason).toEqual({ unified: 'tool_use', raw: 'tool_use' });
      expect(end.usage.outputTokens).toBeGreaterThan(0);
      expect(end.cost?.currency).toBe('USD');
      expect(end.message.content.at(-1)).toEqual({ toolUse: expect.objectContaining({ name: 'get_weather', input: { city: 'Paris' } }) });
      const info = await client.getTurn(turnId);
      expect(info).toMatchObject({ state: 'succeeded', attempt: 1, result: { stopReason: { unified: 'tool_use' } } });
    });

    it("a throttle before any output sends the turn back to wait (admission), not into BullMQ's retry budget, and it succeeds", async () => {
      const before = emulator.stats().calls.ConverseStream;
      const { turnId } = await client.submitTurn(say('[[fail-calls 2 ThrottlingException]] [[tokens 5]]'));
      const events = await collect(client, turnId);
      assertWellFormed(events);
      expect(events.map((e) => [e.type, e.attempt]).filter(([t]) => t !== 'text-delta' && t !== 'block-end')).toEqual([
        ['turn-start', 1],
        ['turn-waiting', 1],
        ['turn-start', 1],
        ['turn-end', 1],
      ]);
      expect(events.find((e) => e.type === 'turn-waiting')).toMatchObject({ reason: 'throttled', position: 1 });
      // two SDK attempts in the first run (both throttled), one after the wait
      expect(emulator.stats().calls.ConverseStream - before).toBe(3);
      expect(await client.getTurn(turnId)).toMatchObject({ state: 'succeeded', attempt: 1 });
    });

    it('ends an in-stream exception after output in turn-error (code, retryable) without retrying', async () => {
      const { turnId } = await client.submitTurn(say('[[tokens 30]] [[error ModelStreamErrorException after 4]]'));
      const events = await collect(client, turnId);
      assertWellFormed(events);
      expect(events.some((e) => e.type === 'text-delta')).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: 'turn-error', code: 'upstream_unavailable', retryable: true });
      expect(events.filter((e) => e.type === 'turn-start')).toHaveLength(1);
      expect((await client.getTurn(turnId))?.state).toBe('failed');
    });

    it('ends a stalled stream with the idle-timeout code', async () => {
      const { turnId } = await client.submitTurn(say('[[tokens 30]] [[stall 5 after 3]]'));
      const events = await collect(client, turnId);
      assertWellFormed(events);
      expect(events.at(-1)).toMatchObject({ type: 'turn-error', code: 'idle_timeout' });
    });

    it('cancels a running turn: turn-cancelled, and the emulator sees the stream closed', async () => {
      // Earlier tests' streams (a stalled one aborted by the watchdog) must be closed first.
      for (let i = 0; i < 250 && emulator.stats().streamsOpen > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(emulator.stats().streamsOpen).toBe(0);
      const before = emulator.stats().streamsAbortedByClient;
      const { turnId } = await client.submitTurn(say('[[tokens 5000]] [[tokens-per-second 50]]'));
      const events: TurnEvent[] = [];
      for await (const e of client.subscribeTurn(turnId)) {
        events.push(e);
        if (e.type === 'text-delta' && events.filter((x) => x.type === 'text-delta').length === 2) await client.cancelTurn(turnId, 'test');
      }
      assertWellFormed(events);
      expect(events.at(-1)).toMatchObject({ type: 'turn-cancelled', by: 'test' });
      for (let i = 0; i < 50 && emulator.stats().streamsAbortedByClient === before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(emulator.stats().streamsAbortedByClient).toBe(before + 1);
      expect((await client.getTurn(turnId))?.state).toBe('cancelled');
    });

    it('cancelling one of several running turns leaves the others intact (they may share an HTTP/2 session)', async () => {
      const words = (tag: string) => Array.from({ length: 45 }, (_, i) => `${tag}${i}`).join(' ');
      const slow = (tag: string) => say(`[[say ${words(tag)}]] [[tokens-per-second 150]]`);
      const [victim, ...others] = await Promise.all(
        ['v', 'a', 'b', 'c'].map(async (tag) => ({ tag, ...(await client.submitTurn(slow(tag))) })),
      );
      if (victim === undefined) throw new Error('no turn submitted');
      const cancelled = (async () => {
        const events: TurnEvent[] = [];
        for await (const e of client.subscribeTurn(victim.turnId)) {
          events.push(e);
          if (e.type === 'text-delta' && events.filter((x) => x.type === 'text-delta').length === 2)
            await client.cancelTurn(victim.turnId, 'test');
        }
        return events;
      })();
      const finished = await Promise.all(others.map(async (o) => ({ tag: o.tag, events: await collect(client, o.turnId) })));
      expect((await cancelled).at(-1)).toMatchObject({ type: 'turn-cancelled', by: 'test' });
      for (const { tag, events } of finished) {
        assertWellFormed(events);
        expect(events.at(-1)?.type).toBe('turn-end');
        expect(
          events
            .filter((e) => e.type === 'text-delta')
            .map((e) => (e as { text: string }).text)
            .join(''),
        ).toBe(words(tag));
        expect(events.every((e) => e.attempt === 1)).toBe(true);
      }
    });

    it('a turn run again after it ended (a job run twice) emits nothing: its call, started early, is aborted before any output', async () => {
      const { turnId } = await client.submitTurn(say('[[tokens 6]]'));
      const first = await collect(client, turnId);
      assertWellFormed(first);
      for (let i = 0; i < 250 && emulator.stats().streamsOpen > 0; i++) await new Promise((r) => setTimeout(r, 20));
      const before = emulator.stats();
      // The same turn again, as a second run of its job would be; its model would answer only after 3 s.
      const queue = new Queue<TurnJobData>('turns', { connection: redis as never, prefix: turnKeys(prefix).queuePrefix });
      try {
        const data = (await queue.getJob(turnId))?.data as TurnJobData;
        const again = await queue.add('turn', {
          ...data,
          request: { ...data.request, messages: [{ role: 'user', content: [{ text: '[[ttft-ms 3000]] [[tokens 6]]' }] }] },
        });
        let state = '';
        for (let i = 0; i < 250 && state !== 'completed' && state !== 'failed'; i++) {
          await new Promise((r) => setTimeout(r, 20));
          state = await queue.getJobState(again.id as string);
        }
        expect(state).toBe('completed');
      } finally {
        await queue.close();
      }
      for (let i = 0; i < 250 && emulator.stats().streamsAbortedByClient === before.streamsAbortedByClient; i++)
        await new Promise((r) => setTimeout(r, 20));
      const after = emulator.stats();
      expect(after.calls.ConverseStream).toBe(before.calls.ConverseStream + 1);
      expect(after.streamsAbortedByClient).toBe(before.streamsAbortedByClient + 1);
      expect(after.streamsCompleted).toBe(before.streamsCompleted);
      expect(await readTurnEvents<TurnEvent>(redis, prefix, turnId)).toEqual(first);
    });

    it('refuses an access-denied model with a terminal model_access_denied error', async () => {
      emulator.configure({ disabledModels: [sonnet.modelId] });
      try {
        const { turnId } = await client.submitTurn(say('hello'));
        const events = await collect(client, turnId);
        assertWellFormed(events);
        expect(events.at(-1)).toMatchObject({ type: 'turn-error', code: 'model_access_denied', retryable: false });
      } finally {
        emulator.configure({ disabledModels: [] });
      }
    });
  });
}
