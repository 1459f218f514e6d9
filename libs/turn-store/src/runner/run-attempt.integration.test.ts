import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { TurnError, type ResolvedModel, type TurnEvent, type TurnEventBody, type TurnSummary } from '@turnpool/protocol';
import { cleanupPrefix, startRedisServer, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { cancelMessage, requestCancel } from '../cancel/turn-cancel.ts';
import { appendTurnEvent } from '../event-log/append-turn-event.ts';
import { readTurnEvents } from '../event-log/read-turn-events.ts';
import { runAttempt, type CancelTarget, type RunAttemptOptions } from './run-attempt.ts';

const model: ResolvedModel = {
  ref: 'amazon-bedrock/amazon.nova-micro-v1:0',
  modelId: 'amazon.nova-micro-v1:0',
  baseModelId: 'amazon.nova-micro-v1:0',
  provider: 'amazon',
  region: 'us-east-1',
  contextWindow: 128_000,
  maxTokens: 5000,
  reasoning: false,
  input: ['text'],
  supportsPromptCache: false,
};
const summary: TurnSummary = {
  stopReason: { unified: 'end_turn', raw: 'end_turn' },
  message: { role: 'assistant', content: [{ text: 'hi' }] },
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
  cost: null,
  timings: { ttftMs: 1, totalMs: 2 },
};

/** The model call's stand-in: the bodies a mapped ConverseStream yields, or a failure after some of them. */
function scripted(bodies: TurnEventBody[], fail?: TurnError): RunAttemptOptions['call'] {
  return async function* () {
    for (const b of bodies) yield b;
    if (fail) throw fail;
  };
}

/**
 * A call that, like a model before its first token, yields nothing until its TTFT has passed
 * (5 s here, far beyond a test's Redis round trip); it notes whether it was aborted and with what.
 */
function slowCall(): { call: RunAttemptOptions['call']; seen: { started: number; yielded: number; abortReason: unknown } } {
  const seen = { started: 0, yielded: 0, abortReason: undefined as unknown };
  return {
    seen,
    call: async function* (controller) {
      seen.started++;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 5000);
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          seen.abortReason = controller.signal.reason;
          reject(new Error('aborted'));
        });
      });
      seen.yielded++;
      yield { type: 'text-delta', index: 0, text: 'late' };
      yield { type: 'turn-end', ...summary };
    },
  };
}

/** A cancel target that keeps the controllers, as a thread's registry does. */
function registry(): CancelTarget & { controllers: Map<string, AbortController> } {
  const controllers = new Map<string, AbortController>();
  return {
    controllers,
    register(turnId, controller) {
      controllers.set(turnId, controller);
      return () => controllers.delete(turnId);
    },
  };
}

describe('runAttempt: the Redis side of one attempt, on a real Redis', () => {
  const prefix = uniquePrefix('run-attempt');
  const redis = new Redis(testRedisUrl());
  const base = (turnId: string, over: Partial<RunAttemptOptions> = {}): RunAttemptOptions => ({
    redis,
    keyPrefix: prefix,
    ttlSeconds: 60,
    turnId,
    model,
    bullAttempt: 1,
    isFinalAttempt: false,
    worker: 'host/t1',
    cancels: registry(),
    retryAfterOutput: false,
    call: scripted([
      { type: 'text-delta', index: 0, text: 'hi' },
      { type: 'turn-end', ...summary },
    ]),
    classify: (err) => new TurnError('internal', String(err)),
    ...over,
  });
  const types = async (turnId: string) => (await readTurnEvents<TurnEvent>(redis, prefix, turnId)).map((e) => `${e.attempt}:${e.type}`);

  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('writes turn-start, the call events and turn-end; a run of an ended turn answers its outcome and aborts the call before its first token', async () => {
    expect(await runAttempt(base('ok'))).toEqual({ status: 'succeeded', summary });
    const events = await readTurnEvents<TurnEvent>(redis, prefix, 'ok');
    expect(events.map((e) => e.type)).toEqual(['turn-start', 'text-delta', 'turn-end']);
    expect(events[0]).toMatchObject({
      model: model.ref,
      modelId: model.modelId,
      region: 'us-east-1',
      worker: 'host/t1',
      seq: 1,
      attempt: 1,
    });
    // The call starts alongside the start-up reads; the ended turn's run aborts it before it yields anything.
    const slow = slowCall();
    expect(await runAttempt(base('ok', { bullAttempt: 2, call: slow.call }))).toEqual({ status: 'succeeded', summary });
    expect(slow.seen).toEqual({ started: 1, yielded: 0, abortReason: { kind: 'done' } });
    expect(await types('ok')).toEqual(['1:turn-start', '1:text-delta', '1:turn-end']);
  });

  it('a cancel requested before the pick-up ends the turn with turn-cancelled; the call is aborted before its first token', async () => {
    await requestCancel(redis, prefix, cancelMessage('flagged', 'client'), 60);
    const slow = slowCall();
    expect(await runAttempt(base('flagged', { call: slow.call }))).toEqual({ status: 'cancelled', by: 'client' });
    expect(slow.seen).toEqual({ started: 1, yielded: 0, abortReason: { kind: 'done' } });
    expect(await types('flagged')).toEqual(['1:turn-cancelled']);
  });

  it('a cancel while the call runs ends the turn with turn-cancelled naming who asked', async () => {
    const cancels = registry();
    const call: RunAttemptOptions['call'] = async function* (controller) {
      yield { type: 'text-delta', index: 0, text: 'partial' };
      await new Promise((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    };
    const running = runAttempt(base('live', { cancels, call }));
    while (!cancels.controllers.has('live')) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    cancels.controllers.get('live')?.abort({ kind: 'cancel', by: 'ops' });
    expect(await running).toEqual({ status: 'cancelled', by: 'ops' });
    expect(await types('live')).toEqual(['1:turn-start', '1:text-delta', '1:turn-cancelled']);
    expect(cancels.controllers.size).toBe(0);
  });

  it('a retryable failure before output leaves no terminal event; the next attempt continues with turn-retry and seq', async () => {
    const failed = await runAttempt(base('retry', { call: scripted([], new TurnError('upstream_unavailable', 'down')) }));
    expect(failed).toMatchObject({ status: 'failed', terminal: false, error: { code: 'upstream_unavailable' } });
    expect(await types('retry')).toEqual(['1:turn-start']);
    expect(await runAttempt(base('retry', { bullAttempt: 2 }))).toMatchObject({ status: 'succeeded' });
    const events = await readTurnEvents<TurnEvent>(redis, prefix, 'retry');
    expect(events.map((e) => `${e.attempt}:${e.type}`)).toEqual([
      '1:turn-start',
      '2:turn-retry',
      '2:turn-start',
      '2:text-delta',
      '2:turn-end',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('on the final attempt, or after output, a failure ends the turn with turn-error; classify maps foreign errors', async () => {
    const final = await runAttempt(
      base('final', { isFinalAttempt: true, call: scripted([], new TurnError('upstream_unavailable', 'down')) }),
    );
    expect(final).toMatchObject({ status: 'failed', terminal: true, error: { code: 'upstream_unavailable', retryable: true } });
    expect(await types('final')).toEqual(['1:turn-start', '1:turn-error']);
    const call: RunAttemptOptions['call'] = async function* () {
      yield { type: 'text-delta', index: 0, text: 'x' };
      throw new Error('socket hang up');
    };
    const classified = await runAttempt(
      base('after-output', { call, classify: (err) => new TurnError('upstream_unavailable', `classified: ${(err as Error).message}`) }),
    );
    expect(classified).toMatchObject({
      status: 'failed',
      terminal: true,
      error: { code: 'upstream_unavailable', message: 'classified: socket hang up' },
    });
    expect(await types('after-output')).toEqual(['1:turn-start', '1:text-delta', '1:turn-error']);
  });

  it('hands a throttle or a movable failure before output back to admission, even on the final attempt', async () => {
    const throttled = await runAttempt(
      base('throttled', { isFinalAttempt: true, throttleWaits: true, call: scripted([], new TurnError('rate_limited', 'slow down')) }),
    );
    expect(throttled).toMatchObject({ status: 'failed', terminal: false, error: { code: 'rate_limited' } });
    const moved = await runAttempt(
      base('moved', { isFinalAttempt: true, hasFallback: true, call: scripted([], new TurnError('model_unavailable', 'gone')) }),
    );
    expect(moved).toMatchObject({ status: 'failed', terminal: false, error: { code: 'model_unavailable' } });
    expect(await types('moved')).toEqual(['1:turn-start']);
  });

  it("after admission's events, a run continues an attempt that has no output, and starts a new one over an attempt with output (a host killed mid-attempt)", async () => {
    const waiting = { type: 'turn-waiting', reason: 'throttled', position: 1 } as TurnEventBody;
    // A throttle before the first token: the turn waited; the next run continues attempt 1.
    await runAttempt(base('waited', { throttleWaits: true, call: scripted([], new TurnError('rate_limited', 'slow down')) }));
    expect(await appendTurnEvent(redis, prefix, 'waited', waiting, 60)).toBe(true);
    expect(await runAttempt(base('waited'))).toMatchObject({ status: 'succeeded' });
    expect(await types('waited')).toEqual(['1:turn-start', '1:turn-waiting', '1:turn-start', '1:text-delta', '1:turn-end']);
    // A host killed after output: BullMQ's stall recovery counts no attempt (bullAttempt stays 1),
    // the next host's admission writes turn-waiting; the run is a new attempt whose turn-retry drops the output.
    const killedCancels = registry();
    const killed = runAttempt(
      base('killed', {
        cancels: killedCancels,
        call: async function* (controller) {
          yield { type: 'text-delta', index: 0, text: 'lost' };
          await new Promise((_, reject) => controller.signal.addEventListener('abort', () => reject(new Error('aborted'))));
        },
      }),
    );
    while (!(await types('killed')).includes('1:text-delta')) await new Promise((r) => setTimeout(r, 5));
    expect(await appendTurnEvent(redis, prefix, 'killed', waiting, 60)).toBe(true);
    expect(await runAttempt(base('killed'))).toMatchObject({ status: 'succeeded' });
    expect(await types('killed')).toEqual([
      '1:turn-start',
      '1:text-delta',
      '1:turn-waiting',
      '2:turn-retry',
      '2:turn-start',
      '2:text-delta',
      '2:turn-end',
    ]);
    // The "killed" run still waits on its call: end it; its writer is fenced by the newer attempt, so the log stays as it is.
    killedCancels.controllers.get('killed')?.abort({ kind: 'cancel', by: 'test' });
    await killed.catch(() => {});
    expect((await types('killed')).at(-1)).toBe('2:turn-end');
  });

  it('rides out Redis refusing its events (a failover, a restart) for up to writeRetryMs: they are sent again and the turn ends once', async () => {
    const server = await startRedisServer({ appendOnly: true, extraArgs: ['--appendfsync', 'always'] });
    // Refuse at once while Redis is away (as a Cluster mid-election does), and reconnect fast.
    const r = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    r.on('error', () => {});
    try {
      if (r.status !== 'ready') await new Promise((res) => r.once('ready', res));
      let release = () => {};
      const gate = new Promise<void>((res) => (release = res));
      const call: RunAttemptOptions['call'] = async function* () {
        yield { type: 'text-delta', index: 0, text: 'before ' };
        await gate;
        yield { type: 'text-delta', index: 0, text: 'during' };
        yield { type: 'turn-end', ...summary };
      };
      const running = runAttempt(base('outage', { redis: r, call, writeRetryMs: 15_000 }));
      const logged = async () => (await readTurnEvents<TurnEvent>(r, prefix, 'outage')).map((e) => `${e.seq}:${e.type}`);
      while (!(await logged()).includes('2:text-delta')) await new Promise((res) => setTimeout(res, 10));
      await server.stop(true);
      release(); // the rest of the output and turn-end arrive while Redis is down
      await new Promise((res) => setTimeout(res, 1500));
      await server.start();
      expect(await running).toEqual({ status: 'succeeded', summary });
      expect(await logged()).toEqual(['1:turn-start', '2:text-delta', '3:text-delta', '4:turn-end']);
    } finally {
      r.disconnect();
      await server.stop(true);
    }
  });

  it('a TurnError abort reason (a watchdog) wins over what the call then throws', async () => {
    const call: RunAttemptOptions['call'] = async function* (controller) {
      controller.abort(new TurnError('idle_timeout', 'nothing for 30000 ms'));
      yield* [];
      throw new Error('AbortError');
    };
    const out = await runAttempt(base('dog', { isFinalAttempt: true, call }));
    expect(out).toMatchObject({ status: 'failed', terminal: true, error: { code: 'idle_timeout' } });
  });
});
