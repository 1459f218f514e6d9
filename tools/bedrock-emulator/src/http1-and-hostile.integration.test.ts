import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { fakeSigV4, testClients, userText } from './test-clients.ts';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0, maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await emu.close();
});

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const headers = { 'content-type': 'application/json', authorization: fakeSigV4 };
const post = (path: string, body: string | Uint8Array) => fetch(`${emu.url}${path}`, { method: 'POST', headers, body });

async function expectAlive(): Promise<void> {
  const out = await testClients(emu.url).control.send(new ListFoundationModelsCommand({}));
  expect(out.modelSummaries).toHaveLength(21);
}

describe('HTTP/1.1 clients', () => {
  it('fetch receives a chunked event stream that EventStreamCodec decodes', async () => {
    const res = await post(`/model/${haiku}/converse-stream`, JSON.stringify({ messages: [userText('[[say plain fetch]]')] }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const bytes = Buffer.from(await res.arrayBuffer());
    const messages = [];
    for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at))
      messages.push(codec.decode(bytes.subarray(at, at + bytes.readUInt32BE(at))));
    const events = messages.map((m) => ({
      type: m.headers[':event-type']?.value,
      body: JSON.parse(toUtf8(m.body)) as Record<string, unknown>,
    }));
    expect(events.map((e) => e.type)).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
    expect(events.every((e) => typeof e.body['p'] === 'string' && /^[a-zA-Z0-9]{1,62}$/.test(e.body['p']))).toBe(true);
    expect((events[1]?.body['delta'] as { text: string }).text).toBe('plain fetch');
  });

  it('omits the p padding when padding is off', async () => {
    emu.configure({ padding: false });
    const res = await post(`/model/${haiku}/converse-stream`, JSON.stringify({ messages: [userText('hi')] }));
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(toUtf8(bytes)).not.toContain('"p":');
    emu.reset();
  });

  it('keeps a path prefix of the endpoint and accepts unencoded colons', async () => {
    const res = await post(`/prefix/model/${haiku}/converse`, JSON.stringify({ messages: [userText('[[say prefixed]]')] }));
    expect(((await res.json()) as { output: { message: { content: { text: string }[] } } }).output.message.content[0]?.text).toBe(
      'prefixed',
    );
  });
});

describe('hostile input keeps the emulator up', () => {
  it('malformed JSON -> 400 SerializationException', async () => {
    const res = await post(`/model/${haiku}/converse-stream`, '{"messages": [');
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^SerializationException:/);
    await expectAlive();
  });

  it('a body over maxBodyBytes -> 413 ValidationException naming the limit', async () => {
    const res = await post(`/model/${haiku}/converse`, JSON.stringify({ messages: [userText('x'.repeat(100 * 1024))] }));
    expect(res.status).toBe(413);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect(((await res.json()) as { message: string }).message).toMatch(/maxBodyBytes/);
    await expectAlive();
  });

  it('a body far over the cap is cut off without crashing', async () => {
    await post(`/model/${haiku}/converse`, new Uint8Array(2 * 1024 * 1024))
      .then((r) => r.text())
      .catch(() => undefined);
    await expectAlive();
  });

  it.each(['%E0%A4%A', '%', '%00', encodeURIComponent('a'.repeat(5000)), '..%2F..%2Fetc%2Fpasswd'])(
    'bad model path label %s -> 4xx',
    async (label) => {
      const res = await post(`/model/${label}/converse-stream`, JSON.stringify({ messages: [userText('hi')] }));
      expect([400, 404]).toContain(res.status);
      expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
      const get = await fetch(`${emu.url}/foundation-models/${label}`, { headers });
      expect([400, 404]).toContain(get.status);
    },
  );

  it.each([
    ['__proto__ body', '{"__proto__":{"polluted":true},"messages":[{"role":"user","content":[{"text":"hi"}]}]}', 200],
    ['__proto__ in a message', '{"messages":[{"role":"user","content":[{"text":"hi"}],"__proto__":{"role":"assistant"}}]}', 200],
    ['array body', '[1,2,3]', 400],
    ['null body', 'null', 400],
    ['messages not a list', '{"messages":"hi"}', 400],
    ['role not in enum', '{"messages":[{"role":"system","content":[]}]}', 400],
    ['empty content block', '{"messages":[{"role":"user","content":[{}]}]}', 400],
    ['deep nesting', `{"messages":${'['.repeat(5000)}${']'.repeat(5000)}}`, 400],
  ])('%s', async (_label, body, status) => {
    const res = await post(`/model/${haiku}/converse`, body);
    expect(res.status).toBe(status);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await expectAlive();
  });

  it('unknown routes and methods -> 404 UnknownOperationException', async () => {
    const res = await fetch(`${emu.url}/nope`, { headers });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException:/);
    expect((await fetch(`${emu.url}/model/${haiku}/converse`, { headers })).status).toBe(404);
  });

  it('survives garbage bytes and early disconnects', async () => {
    const net = await import('node:net');
    for (const payload of ['GARBAGE\r\n\r\n', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000garbage', 'P']) {
      await new Promise<void>((resolve) => {
        const s = net.connect(emu.port, '127.0.0.1', () => {
          s.write(payload);
          setTimeout(() => {
            s.destroy();
            resolve();
          }, 20);
        });
        s.on('error', () => resolve());
      });
    }
    await new Promise<void>((resolve) => {
      const req = http.request(`${emu.url}/model/${haiku}/converse`, { method: 'POST', headers: { ...headers, 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"messa');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    await expectAlive();
  });

  it('counts an HTTP/2 client that drops its connection mid-stream and stays up', async () => {
    emu.reset();
    emu.configure({ tokensPerSecond: 50 });
    const { connect } = await import('node:http2');
    const session = connect(emu.url);
    session.on('error', () => undefined);
    const req = session.request({ ':method': 'POST', ':path': `/model/${haiku}/converse-stream`, ...headers });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ messages: [userText('[[tokens 5000]]')] }));
    await new Promise((resolve) => req.once('data', resolve));
    session.destroy();
    for (let i = 0; i < 200 && emu.stats().streamsAbortedByClient === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(emu.stats()).toMatchObject({ streamsAbortedByClient: 1, streamsOpen: 0 });
    emu.reset();
    await expectAlive();
  });
});
