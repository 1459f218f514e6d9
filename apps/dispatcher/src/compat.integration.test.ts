import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { TurnEventBody } from '@turnpool/protocol';
import { deriveTurnId } from '@turnpool/turn-store/client';
import { createTurnWriter } from '@turnpool/turn-store';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { startDispatcher, type RunningDispatcher } from './start-dispatcher.ts';

// The compat faces' turn plumbing on a real Redis, with the test playing the worker: it writes
// the turn's events itself, so retries, failures after output and resumes are exact.
const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
const catalog = {
  list: async () => ({
    entries: [
      {
        id: modelId,
        name: 'Claude 3 Haiku',
        provider: 'Anthropic',
        contextWindow: 200_000,
        maxTokens: 8192,
        reasoning: false,
        input: ['text', 'image'] as ('text' | 'image')[],
        available: true,
        baseModelId: modelId,
        supportsPromptCache: false,
        streaming: true,
        limitsKnown: true,
        source: 'configured' as const,
      },
    ],
    stale: false,
    fetchedAt: 1_700_000_000_000,
  }),
};
const key = 'compat-key';
const start: TurnEventBody = { type: 'turn-start', model: `amazon-bedrock/${modelId}`, modelId, region: 'us-east-1', worker: 'test' };
const end = (text: string): TurnEventBody => ({
  type: 'turn-end',
  stopReason: { unified: 'end_turn', raw: 'end_turn' },
  message: { role: 'assistant', content: [{ text }] },
  usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
  cost: null,
  timings: { ttftMs: 1, totalMs: 2 },
});

describe('compat faces on a real Redis (the test writes the turn events)', () => {
  const prefix = uniquePrefix('compat-http');
  let redis: Redis;
  let d: RunningDispatcher;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    d = await startDispatcher({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      catalog,
      region: 'us-east-1',
      port: 0,
      apiKeys: [key],
      modelAliases: { 'gpt-4o': `amazon-bedrock/${modelId}` },
    });
  });
  afterAll(async () => {
    await d?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  const openAi = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${d.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body: JSON.stringify(body),
    });
  const writeEvents = async (turnId: string, events: [number, TurnEventBody][]) => {
    const writers = new Map<number, Awaited<ReturnType<typeof createTurnWriter>>>();
    for (const [attempt, body] of events) {
      let w = writers.get(attempt);
      if (!w) {
        w = await createTurnWriter({ redis, keyPrefix: prefix, turnId, attempt });
        writers.set(attempt, w);
      }
      await w.write(body);
    }
  };
  const chunks = (text: string) =>
    [...text.matchAll(/^data: (.*)$/gm)]
      .map((m) => m[1] ?? '')
      .filter((s) => s !== '[DONE]')
      .map((s) => JSON.parse(s) as Record<string, unknown>);

  it("holds a stream's status until output (a retry before output is invisible), and re-attaches a repeated Idempotency-Key to the same turn", async () => {
    const body = { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] };
    const turnId = deriveTurnId(undefined, 'order-1');
    const pending = openAi(body, { 'idempotency-key': 'order-1' });
    await new Promise((r) => setTimeout(r, 200));
    await writeEvents(turnId, [
      [1, start],
      [2, { type: 'turn-retry', reason: 'worker lost' }],
      [2, start],
      [2, { type: 'text-delta', index: 0, text: 'Hel' }],
      [2, { type: 'text-delta', index: 0, text: 'lo' }],
      [2, { type: 'block-end', index: 0 }],
      [2, end('Hello')],
    ]);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-turnpool-turn-id')).toBe(turnId);
    const first = chunks(await res.text());
    expect(first.map((c) => (c['choices'] as { delta: { content?: string } }[])[0]?.delta.content ?? '').join('')).toBe('Hello');
    const again = await openAi(body, { 'idempotency-key': 'order-1' });
    expect(again.headers.get('x-turnpool-turn-id')).toBe(turnId);
    expect(chunks(await again.text())).toEqual(first);
  });

  it("a turn that fails after output ends the stream with an error frame; one cancelled before output answers 409 in OpenAI's shape", async () => {
    const failing = deriveTurnId(undefined, 'fail-1');
    const pending = openAi({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'a' }] }, { 'idempotency-key': 'fail-1' });
    await new Promise((r) => setTimeout(r, 200));
    await writeEvents(failing, [
      [1, start],
      [1, { type: 'text-delta', index: 0, text: 'partial' }],
      [1, { type: 'turn-error', code: 'idle_timeout', message: 'stalled', retryable: true }],
    ]);
    const res = await pending;
    expect(res.status).toBe(200);
    const frames = chunks(await res.text());
    expect(frames.at(-1)).toMatchObject({ error: { code: 'idle_timeout', type: 'server_error', message: 'stalled' } });

    const cancelled = deriveTurnId(undefined, 'cancel-1');
    const waiting = openAi({ model: 'gpt-4o', messages: [{ role: 'user', content: 'b' }] }, { 'idempotency-key': 'cancel-1' });
    await new Promise((r) => setTimeout(r, 200));
    const c = await fetch(`${d.url}/v1/turns/${cancelled}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    expect(c.status).toBe(202);
    const answer = await waiting;
    expect(answer.status).toBe(409);
    expect(answer.headers.get('x-should-retry')).toBe('false');
    expect(await answer.json()).toMatchObject({ error: { code: 'cancelled', type: 'invalid_request_error', param: null } });
  });

  it('resumes an Anthropic stream from Last-Event-ID with message_start and the open block re-sent', async () => {
    const turnId = deriveTurnId(undefined, 'anthropic-1');
    const post = fetch(`${d.url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': 'anthropic-1' },
      body: JSON.stringify({ model: 'gpt-4o', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'c' }] }),
    });
    await new Promise((r) => setTimeout(r, 200));
    await writeEvents(turnId, [
      [1, start],
      [1, { type: 'text-delta', index: 0, text: 'one ' }],
      [1, { type: 'text-delta', index: 0, text: 'two' }],
      [1, { type: 'block-end', index: 0 }],
      [1, end('one two')],
    ]);
    await (await post).text();
    const resumed = await fetch(`${d.url}/anthropic/v1/messages/msg_${turnId}/events`, {
      headers: { 'x-api-key': key, 'last-event-id': '2' },
    });
    const text = await resumed.text();
    expect([...text.matchAll(/^event: (.*)$/gm)].map((m) => m[1])).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(text).toContain('"text":"two"');
    expect(text).not.toContain('"text":"one "');
    const whole = await fetch(`${d.url}/anthropic/v1/messages/${turnId}`, { headers: { 'x-api-key': key } });
    expect(await whole.json()).toMatchObject({
      id: `msg_${turnId}`,
      content: [{ type: 'text', text: 'one two' }],
      stop_reason: 'end_turn',
    });
  });

  it('each face takes its own key header, and refuses in its own shape', async () => {
    const openAiNoKey = await fetch(`${d.url}/openai/v1/models`);
    expect(openAiNoKey.status).toBe(401);
    expect(await openAiNoKey.json()).toMatchObject({ error: { type: 'authentication_error', code: 'unauthorized' } });
    const anthropicKey = await fetch(`${d.url}/anthropic/v1/models`, { headers: { 'x-api-key': key } });
    expect(await anthropicKey.json()).toMatchObject({ data: [{ type: 'model', id: modelId }, { id: 'gpt-4o' }], has_more: false });
    const native = await fetch(`${d.url}/v1/models`, { headers: { 'x-api-key': key } });
    expect(native.status).toBe(401);
    const unknown = await fetch(`${d.url}/anthropic/v1/messages/nope/events`, { headers: { 'x-api-key': key } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
