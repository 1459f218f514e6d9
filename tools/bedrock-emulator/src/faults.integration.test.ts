import * as rt from '@aws-sdk/client-bedrock-runtime';
import { ConverseCommand, ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0, seed: 7 });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const stream = (text: string, maxAttempts = 1) =>
  testClients(emu.url, { maxAttempts }).runtime.send(new ConverseStreamCommand({ modelId: haiku, messages: [userText(text)] }));

function iterate(s: AsyncIterable<ConverseStreamOutput> | undefined): AsyncIterator<ConverseStreamOutput> {
  if (s === undefined) throw new Error('no stream');
  return s[Symbol.asyncIterator]();
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
  expect(cond()).toBe(true);
}

describe('stream faults', () => {
  it('[[cut after N]] ends the body mid-message: the SDK reports a truncated event message', async () => {
    const out = await stream('[[cut after 2]] [[tokens 20]]');
    const seen: ConverseStreamOutput[] = [];
    await expect(
      (async () => {
        for await (const e of out.stream ?? []) seen.push(e);
      })(),
    ).rejects.toThrow(/Truncated event message received/);
    expect(seen).toHaveLength(2);
  });

  it('[[reset after N]] aborts the HTTP/2 stream: the loop throws', async () => {
    const out = await stream('[[reset after 2]] [[tokens 20]]');
    await expect(
      (async () => {
        for await (const _ of out.stream ?? []) {
          /* drain */
        }
      })(),
    ).rejects.toThrow();
  });

  it('[[drop after N]] closes the connection without RST: on HTTP/2 the loop ends quietly, without messageStop', async () => {
    const out = await stream('[[drop after 2]] [[tokens 20]]');
    const seen: ConverseStreamOutput[] = [];
    for await (const e of out.stream ?? []) seen.push(e);
    expect(seen).toHaveLength(2);
    expect(seen.some((e) => e.messageStop || e.metadata)).toBe(false);
  });

  it('[[stall S after N]] sends no event for S seconds, then finishes normally', async () => {
    const out = await stream('[[stall 2 after 2]] [[tokens 6]]');
    const it = iterate(out.stream);
    expect((await it.next()).value).toHaveProperty('messageStart');
    expect((await it.next()).value).toHaveProperty('contentBlockDelta');
    const next = it.next();
    const winner = await Promise.race([next.then(() => 'event'), sleep(300).then(() => 'timer')]);
    expect(winner).toBe('timer');
    expect(emu.stats().streamsOpen).toBe(1);
    let r = await next;
    let count = 2;
    while (!r.done) {
      count++;
      r = await it.next();
    }
    expect(count).toBeGreaterThan(4);
    expect(emu.stats().streamsCompleted).toBe(1);
  });

  it('[[stall S after 0]] holds even messageStart: send() does not resolve during the stall', async () => {
    const sent = stream('[[stall 1 after 0]] [[tokens 3]]');
    const winner = await Promise.race([sent.then(() => 'resolved'), sleep(300).then(() => 'timer')]);
    expect(winner).toBe('timer');
    const out = await sent;
    const events: ConverseStreamOutput[] = [];
    for await (const e of out.stream ?? []) events.push(e);
    expect(events[0]).toHaveProperty('messageStart');
  });

  it('an exception as the first frame is retried by the SDK like an HTTP error', async () => {
    await expect(stream('[[error ThrottlingException after 0]]')).rejects.toBeInstanceOf(rt.ThrottlingException);
  });
});

describe('[[fail-first N]] keyed on the SDK attempt', () => {
  it('lets the SDK retry succeed on attempt N+1', async () => {
    const out = await stream('[[fail-first 2]] [[say third time lucky]]', 3);
    let text = '';
    for await (const e of out.stream ?? []) text += e.contentBlockDelta?.delta?.text ?? '';
    expect(text).toBe('third time lucky');
    expect(out.$metadata.attempts).toBe(3);
    expect(emu.stats().calls.ConverseStream).toBe(3);
    expect(emu.stats().errors['ServiceUnavailableException']).toBe(2);
  });

  it('fails when there are fewer attempts than failures', async () => {
    await expect(stream('[[fail-first 2 InternalServerException]]', 2)).rejects.toBeInstanceOf(rt.InternalServerException);
  });

  it('counts attempts per body when the client sends no SDK headers (curl, fetch)', async () => {
    emu.configure({ requireAuth: false });
    const post = () =>
      fetch(`${emu.url}/model/${haiku}/converse`, {
        method: 'POST',
        body: JSON.stringify({ messages: [userText('[[fail-first 1]] [[say ok]]')] }),
      });
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(200);
  });
});

describe('Converse faults', () => {
  const converse = (text: string) => testClients(emu.url).runtime.send(new ConverseCommand({ modelId: haiku, messages: [userText(text)] }));
  it('[[cut]] sends half a JSON body and [[reset]] aborts: both reject, the emulator stays up', async () => {
    await expect(converse('[[cut]]')).rejects.toThrow();
    await expect(converse('[[reset]]')).rejects.toThrow();
    expect((await converse('[[say fine]]')).output?.message?.content?.[0]?.text).toBe('fine');
  });
});

describe('close()', () => {
  it('cuts a stalled stream and resolves', async () => {
    const own = await startEmulator({ ttftMs: 0 });
    const out = await testClients(own.url).runtime.send(
      new ConverseStreamCommand({ modelId: haiku, messages: [userText('[[stall 600 after 1]]')] }),
    );
    const outcome = (async () => {
      for await (const _ of out.stream ?? []) {
        /* drain */
      }
    })().then(
      () => 'ended',
      (err: Error) => err,
    );
    await own.close();
    await own.close();
    expect(await outcome).toBeInstanceOf(Error);
    expect(own.stats().streamsOpen).toBe(0);
  });
});

describe('faultRate', () => {
  it('injects only the configured kinds when faultRate is 1', async () => {
    emu.configure({ faultRate: 1, faultKinds: ['throttling'] });
    await expect(stream('hi')).rejects.toBeInstanceOf(rt.ThrottlingException);
    emu.configure({ faultKinds: ['stream-model-error'] });
    const out = await stream('hi [[tokens 30]]');
    await expect(
      (async () => {
        for await (const _ of out.stream ?? []) {
          /* drain */
        }
      })(),
    ).rejects.toBeInstanceOf(rt.ModelStreamErrorException);
    emu.configure({ faultKinds: ['cut'] });
    const cut = await stream('hi [[tokens 30]]');
    await expect(
      (async () => {
        for await (const _ of cut.stream ?? []) {
          /* drain */
        }
      })(),
    ).rejects.toThrow(/Truncated event message/);
    expect(emu.stats().faultsInjected).toBe(3);
    emu.configure({ faultRate: 0 });
    const ok = await stream('hi');
    for await (const _ of ok.stream ?? []) {
      /* drain */
    }
  });

  it('maps stream faults to HTTP errors on Converse', async () => {
    emu.configure({ faultRate: 1, faultKinds: ['stream-service-unavailable'] });
    await expect(
      testClients(emu.url).runtime.send(new ConverseCommand({ modelId: haiku, messages: [userText('hi')] })),
    ).rejects.toBeInstanceOf(rt.ServiceUnavailableException);
  });
});

describe('client abort', () => {
  it('stops generating and counts streamsAbortedByClient when the client aborts', async () => {
    emu.configure({ tokensPerSecond: 50 });
    const ac = new AbortController();
    const { runtime } = testClients(emu.url);
    const out = await runtime.send(new ConverseStreamCommand({ modelId: haiku, messages: [userText('[[tokens 2000]]')] }), {
      abortSignal: ac.signal,
    });
    const it = iterate(out.stream);
    await it.next();
    expect(emu.stats().streamsOpen).toBe(1);
    ac.abort();
    await it.next().catch(() => undefined);
    await waitFor(() => emu.stats().streamsAbortedByClient === 1);
    expect(emu.stats().streamsOpen).toBe(0);
    expect(emu.stats().streamsCompleted).toBe(0);
  });

  it('breaking out of for-await does not cancel the HTTP/2 stream (SDK 3.1164.0); aborting afterwards does', async () => {
    emu.configure({ tokensPerSecond: 50 });
    const ac = new AbortController();
    const { runtime } = testClients(emu.url);
    const out = await runtime.send(new ConverseStreamCommand({ modelId: haiku, messages: [userText('[[tokens 2000]]')] }), {
      abortSignal: ac.signal,
    });
    for await (const e of out.stream ?? []) if (e.contentBlockDelta) break;
    await sleep(200);
    expect(emu.stats()).toMatchObject({ streamsOpen: 1, streamsAbortedByClient: 0 });
    ac.abort();
    await waitFor(() => emu.stats().streamsAbortedByClient === 1);
  });
});
