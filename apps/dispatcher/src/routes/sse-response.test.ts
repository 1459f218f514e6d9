import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { openSse, sseHeaders, streamErrorFrame, type SseResponse } from './sse-response.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tick = () => new Promise((r) => setImmediate(r));

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  for (const t0 = Date.now(); !check(); await sleep(5)) if (Date.now() - t0 > ms) throw new Error(`timed out waiting: ${what}`);
}

let servers: Server[] = [];
let sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
  sockets = [];
});

/** A loopback server whose every request runs `handler`; the port. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void): Promise<number> {
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Records every `res.write` / `res.end` call, and whether one came after the response closed. */
function spyWrites(res: ServerResponse) {
  const calls = { writes: [] as string[], afterClose: 0, closed: false };
  const write = res.write.bind(res) as (chunk: string) => boolean;
  const end = res.end.bind(res) as () => ServerResponse;
  res.on('close', () => (calls.closed = true));
  res.write = ((chunk: string) => {
    if (calls.closed) calls.afterClose++;
    calls.writes.push(String(chunk));
    return write(chunk);
  }) as ServerResponse['write'];
  res.end = (() => {
    if (calls.closed) calls.afterClose++;
    return end();
  }) as ServerResponse['end'];
  return calls;
}

/** A raw HTTP/1.1 GET: what arrives, one string per socket read (`read: false` reads nothing until `resume()`). */
function rawGet(port: number, { read = true } = {}) {
  const sock = connect(port, '127.0.0.1');
  sockets.push(sock);
  const reads: string[] = [];
  let tail = '';
  sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  sock.setEncoding('latin1');
  const resume = () =>
    sock.on('data', (d: string) => {
      reads.push(d);
      tail = (tail + d).slice(-16);
    });
  if (read) resume();
  return {
    sock,
    reads,
    resume,
    text: () => reads.join(''),
    /** The last chunk of the chunked body came. */
    done: () => tail.endsWith('\r\n0\r\n\r\n'),
  };
}

/** Resolves once `value()` has not changed for `ms`. */
async function settled<T>(value: () => T, ms: number): Promise<T> {
  for (let last = value(); ;) {
    await sleep(ms);
    const now = value();
    if (now === last) return now;
    last = now;
  }
}

/** The head and the chunks of a chunked HTTP response; `done` when the last chunk came. */
function parse(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  let body = raw.slice(split + 4);
  const chunks: string[] = [];
  for (;;) {
    const eol = body.indexOf('\r\n');
    if (eol < 0) return { head, chunks, done: false };
    const size = Number.parseInt(body.slice(0, eol), 16);
    if (size === 0) return { head, chunks, done: true };
    chunks.push(body.slice(eol + 2, eol + 2 + size));
    body = body.slice(eol + 2 + size + 2);
  }
}

const frame = (n: number, pad = '') => `id: ${n}\nevent: x\ndata: {"n":${n}${pad ? `,"pad":"${pad}"` : ''}}\n\n`;

describe('openSse (loopback HTTP, raw socket)', () => {
  it('writes the SSE headers and retry, frames sent in one tick in one write (one HTTP chunk), in order, then ends', async () => {
    let calls: ReturnType<typeof spyWrites> | undefined;
    const port = await serve(async (_req, res) => {
      calls = spyWrites(res);
      const sse = openSse(res, { heartbeatMs: 60_000, retryMs: 1000, headers: { 'x-turnpool-turn-id': 't1' } });
      for (let i = 1; i <= 5; i++) sse.send(frame(i));
      await sleep(30);
      for (let i = 6; i <= 8; i++) sse.send(frame(i));
      await Promise.resolve();
      sse.send(frame(9));
      await sleep(30);
      sse.send(frame(10));
      sse.end();
      sse.send(frame(11));
    });
    const c = rawGet(port);
    await until('the response ends', c.done);
    const { head, chunks } = parse(c.text());
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    for (const [k, v] of Object.entries({ ...sseHeaders, 'x-turnpool-turn-id': 't1' })) expect(head).toContain(`\r\n${k}: ${v}`);
    expect(head.toLowerCase()).toContain('\r\ntransfer-encoding: chunked');
    // The retry goes with the first tick's frames; each tick (a microtask later is the same tick) is one write.
    const batch = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => frame(from + i)).join('');
    expect(chunks).toEqual([`retry: 1000\n\n${batch(1, 5)}`, batch(6, 9), frame(10)]);
    expect(calls?.writes).toEqual(chunks);
    // Nothing after end: frame 11 was dropped, and end() was not called twice.
    expect(calls?.afterClose).toBe(0);
    // (Each write is one HTTP chunk above; how TCP then splits the bytes into reads is the kernel's
    // choice under load, so it is not asserted.)
  });

  it('sends keep-alive comments while idle, and holds everything (heartbeat too) until the first frame with deferHeaders', async () => {
    let sse: SseResponse | undefined;
    const port = await serve((_req, res) => {
      sse = openSse(res, { heartbeatMs: 20, deferHeaders: true });
    });
    const c = rawGet(port);
    await until('the handler ran', () => sse !== undefined);
    await sleep(100);
    expect(c.text()).toBe('');
    expect(sse?.committed).toBe(false);
    sse?.send(frame(1));
    expect(sse?.committed).toBe(true);
    await until('two heartbeats', () => c.text().split(': keep-alive\n\n').length > 2);
    sse?.end();
    await until('the end', c.done);
    const { head, chunks } = parse(c.text());
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(chunks[0]).toBe(frame(1));
    expect(chunks.slice(1).every((ch) => ch === ': keep-alive\n\n')).toBe(true);
  });

  it('deferHeaders: end() with nothing sent answers 200 with the SSE headers and no body; an answer written on the raw response stays', async () => {
    const port = await serve((req, res) => {
      const sse = openSse(res, { heartbeatMs: 10, deferHeaders: true });
      if (req.url === '/?refused') {
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end('{"error":"later"}');
      }
      setTimeout(() => sse.end(), 30);
    });
    const empty = rawGet(port);
    await until('the empty answer', empty.done);
    expect(parse(empty.text()).head).toContain('content-type: text/event-stream; charset=utf-8');
    expect(parse(empty.text()).chunks).toEqual([]);

    const refused = connect(port, '127.0.0.1');
    sockets.push(refused);
    let raw = '';
    refused.setEncoding('latin1');
    refused.on('data', (d: string) => (raw += d));
    refused.write('GET /?refused HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await new Promise((r) => refused.on('close', r));
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 429 Too Many Requests');
    expect(raw).not.toContain('event-stream');
    expect(raw).toContain('{"error":"later"}');
    expect(raw.match(/\r\n0\r\n\r\n/g)).toHaveLength(1);
  });

  it('pauses the source while the socket is full (at most one tick past it) and resumes at drain, losing nothing', async () => {
    const frameCount = 512;
    const pad = 'p'.repeat(64 * 1024);
    let sent = 0;
    let sawFull = false;
    let maxPastFull = 0;
    let finished = false;
    let response: ServerResponse | undefined;
    const port = await serve(async (_req, res) => {
      response = res;
      // Heartbeats due all the time: none may be added while the socket is full.
      const sse = openSse(res, { heartbeatMs: 10 });
      // A source that has two frames ready per tick, as a replayed page would.
      for (let n = 1; n <= frameCount; n += 2) {
        sse.send(frame(n, pad) + frame(n + 1, pad));
        sent = n + 1;
        await tick();
        if (sse.full) {
          sawFull = true;
          // Buffered past the socket's high-water mark: never more than one tick's frames.
          maxPastFull = Math.max(maxPastFull, res.writableLength - res.writableHighWaterMark);
          await sse.drained();
        }
      }
      sse.end();
      finished = true;
    });
    const c = rawGet(port, { read: false });
    await until('the socket fills up', () => sawFull);
    const stalledAt = await settled(() => sent, 200);
    const buffered = response?.writableLength;
    await sleep(100);
    expect(response?.writableLength).toBe(buffered);
    expect(finished).toBe(false);
    expect(stalledAt).toBeLessThan(frameCount / 2);
    expect(maxPastFull).toBeLessThanOrEqual(2 * frame(frameCount, pad).length + 32);
    c.resume();
    await until('the whole stream', c.done, 20_000);
    expect(finished).toBe(true);
    const body = parse(c.text()).chunks.join('');
    const ids = [...body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: frameCount }, (_, i) => i + 1));
  }, 30_000);

  it('the client going away aborts the signal (the source stops), wakes a waiting drain, counts the client out and writes nothing more', async () => {
    const clients = { open: 0, inc: () => clients.open++, dec: () => clients.open-- };
    let calls: ReturnType<typeof spyWrites> | undefined;
    let sse: SseResponse | undefined;
    let sourceStopped = false;
    let produced = 0;
    const port = await serve(async (_req, res) => {
      calls = spyWrites(res);
      sse = openSse(res, { heartbeatMs: 5, retryMs: 1000, clients });
      const source = async function* (signal: AbortSignal) {
        try {
          while (!signal.aborted) {
            yield frame(++produced);
            await sleep(5);
          }
        } finally {
          sourceStopped = true;
        }
      };
      for await (const f of source(sse.signal)) sse.send(f);
      // What a route does after its source stopped: a late frame and the end are no-ops.
      sse.send(frame(0));
      sse.end();
    });
    const c = rawGet(port);
    await until('a few frames', () => c.text().includes('id: 3\n'));
    expect(clients.open).toBe(1);
    c.sock.destroy();
    await until('the source stops', () => sourceStopped);
    expect(sse?.signal.aborted).toBe(true);
    expect(clients.open).toBe(0);
    const stoppedAt = produced;
    await sleep(50);
    expect(produced).toBe(stoppedAt);
    expect(calls?.afterClose).toBe(0);
    await expect(sse?.drained()).resolves.toBeUndefined();
  });

  it('a drain wait ends when the client goes away', async () => {
    let sse: SseResponse | undefined;
    let woke = false;
    let stuckFull = false;
    const port = await serve(async (_req, res) => {
      sse = openSse(res, { heartbeatMs: 60_000 });
      // Frames until a full socket stays full (the client reads nothing).
      const big = frame(1, 'q'.repeat(1 << 20));
      for (let stuck = false; !stuck;) {
        sse.send(big);
        await tick();
        if (sse.full) stuck = (await Promise.race([sse.drained().then(() => false), sleep(200).then(() => true)])) && sse.full;
      }
      stuckFull = true;
      await sse.drained();
      woke = true;
    });
    const c = rawGet(port, { read: false });
    await until('the socket stays full', () => stuckFull);
    await sleep(50);
    expect(woke).toBe(false);
    c.sock.destroy();
    await until('the wait ends', () => woke);
    expect(sse?.signal.aborted).toBe(true);
  });
});

describe('streamErrorFrame', () => {
  it('is an id-less stream-error frame with the message cut to 200 characters', () => {
    expect(streamErrorFrame(new Error('Connection is closed.'))).toBe(
      'event: stream-error\ndata: {"code":"service_unavailable","message":"Connection is closed.","retryable":true}\n\n',
    );
    expect(streamErrorFrame('x'.repeat(300))).toContain(`"message":"${'x'.repeat(200)}"`);
    expect(streamErrorFrame(undefined)).toContain('"message":"undefined"');
  });
});
