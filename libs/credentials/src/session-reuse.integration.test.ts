import { ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBedrockClients, type CreateBedrockClientsOptions } from './create-bedrock-clients.ts';
import type { CredentialInfo } from './credential-info.ts';

const staticKeys: CredentialInfo = { source: 'static-keys', present: true, identityHash: '0'.repeat(16), detail: 'test keys', notes: [] };

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

let emu: EmulatorHandle;
// 3 tokens per chunk at 200 tokens/s: a 60-word answer streams for ~300 ms, long enough to abort mid-way.
beforeAll(async () => {
  emu = await startEmulator({ tls: true, ttftMs: 20, tokensPerSecond: 200, tokensPerChunk: 3 });
});
afterAll(async () => {
  await emu.close();
});

function runtimeClient(opts: Partial<CreateBedrockClientsOptions> = {}): BedrockRuntimeClient {
  return createBedrockClients({
    region: 'us-east-1',
    endpoint: emu.url,
    ca: emu.tls?.cert,
    maxAttempts: 1,
    ...opts,
    credentials: staticKeys,
    env: { AWS_ACCESS_KEY_ID: 'AKIDREUSE', AWS_SECRET_ACCESS_KEY: 'reuse-secret' },
  }).runtime;
}

/** The streamed text, or the error the loop ended with; `onChunk` sees the count of text chunks so far. */
async function stream(
  client: BedrockRuntimeClient,
  text: string,
  signal?: AbortSignal,
  onChunk?: (n: number) => void,
): Promise<{ text: string; stopped: boolean; error?: string }> {
  let got = '';
  let chunks = 0;
  let stopped = false;
  try {
    const out = await client.send(new ConverseStreamCommand({ modelId: haiku, messages: [{ role: 'user', content: [{ text }] }] }), {
      abortSignal: signal,
    });
    for await (const ev of out.stream ?? []) {
      if (ev.contentBlockDelta?.delta?.text !== undefined) {
        got += ev.contentBlockDelta.delta.text;
        onChunk?.(++chunks);
      }
      if (ev.messageStop) stopped = true;
    }
    return { text: got, stopped };
  } catch (err) {
    return { text: got, stopped, error: (err as Error).name + ': ' + (err as Error).message };
  }
}

describe('HTTP/2 session reuse (SharedSessionHttp2Handler)', () => {
  it('runs concurrent ConverseStream calls on one session; the per-call handler opens one each', async () => {
    const shared = runtimeClient();
    emu.reset();
    const results = await Promise.all([1, 2, 3, 4].map((n) => stream(shared, `[[say ${words(6, `r${n}-`)}]]`)));
    results.forEach((r, i) => expect(r).toEqual({ text: words(6, `r${i + 1}-`), stopped: true }));
    expect(emu.stats().connections).toBe(1);
    // Later calls lease the same (idle) session.
    expect(await stream(shared, '[[say again]]')).toEqual({ text: 'again', stopped: true });
    expect(emu.stats().connections).toBe(1);
    shared.destroy();

    const perCall = runtimeClient({ sessionReuse: false });
    emu.reset();
    await Promise.all([1, 2, 3, 4].map((n) => stream(perCall, `[[say p${n}]]`)));
    expect(emu.stats().connections).toBe(4);
    perCall.destroy();
  });

  it('opens another session when one carries streamsPerSession open streams', async () => {
    const client = runtimeClient({ streamsPerSession: 2 });
    emu.reset();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => stream(client, `[[say b${n}]]`)));
    expect(results.map((r) => r.text)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(emu.stats().connections).toBe(3);
    client.destroy();
  });

  it('an aborted stream does not disturb its neighbour on the same session', async () => {
    const client = runtimeClient();
    emu.reset();
    const abort = new AbortController();
    const long = words(60, 'n');
    const [aborted, neighbour] = await Promise.all([
      stream(client, `[[say ${words(60, 'a')}]]`, abort.signal, (n) => {
        if (n === 2) abort.abort();
      }),
      stream(client, `[[say ${long}]]`),
    ]);
    expect(neighbour).toEqual({ text: long, stopped: true });
    // As with a session per call: an abort after the response headers ends the SDK's loop without an
    // error and without messageStop (callers check their signal); only that stream was reset.
    expect(aborted.stopped).toBe(false);
    expect(aborted.text.split(' ').length).toBeLessThan(60);
    expect(emu.stats().connections).toBe(1);
    // The session stays usable after the abort.
    expect(await stream(client, '[[say still here]]')).toEqual({ text: 'still here', stopped: true });
    expect(emu.stats().connections).toBe(1);
    await waitFor(() => emu.stats().streamsAbortedByClient === 1);
    client.destroy();
  });

  it('a session the server closes leaves the pool and the next call opens a new one', async () => {
    const client = runtimeClient();
    emu.reset();
    expect(await stream(client, '[[say first]]')).toEqual({ text: 'first', stopped: true });
    const dropped = await stream(client, `[[say ${words(30, 'd')}]] [[drop after 3]]`);
    expect(dropped.stopped).toBe(false); // the connection went: the answer is truncated (no messageStop)
    expect(emu.stats().connections).toBe(1);
    expect(await stream(client, '[[say fresh]]')).toEqual({ text: 'fresh', stopped: true });
    expect(emu.stats().connections).toBe(2);
    client.destroy();
  });

  it('refuses a bad streamsPerSession naming the option', () => {
    expect(() => runtimeClient({ streamsPerSession: 0 })).toThrow(/streamsPerSession must be streams per session/);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
