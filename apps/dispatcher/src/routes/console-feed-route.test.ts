import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createDispatcherMetrics } from '../dispatcher-metrics.ts';
import { registerConsoleFeedRoute } from './console-feed-route.ts';
import type { ConsoleSummary } from '@turnpool/turn-store/client';
import { sseHeaders } from './sse-response.ts';
import { createSummaryFeed, type SummaryFeed } from './summary-feed.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (const t0 = Date.now(); !(await check()); await sleep(10)) if (Date.now() - t0 > ms) throw new Error(`timed out waiting: ${what}`);
}

describe('GET /v1/console/feed (Fastify on loopback, raw socket)', () => {
  let app: FastifyInstance;
  let feed: SummaryFeed;
  let metrics: ReturnType<typeof createDispatcherMetrics>;
  let reads = 0;
  let pad = '';
  let port: number;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    reads = 0;
    pad = '';
    app = Fastify();
    metrics = createDispatcherMetrics(async () => ({}));
    feed = createSummaryFeed(async () => ({ n: ++reads, pad }) as unknown as ConsoleSummary);
    registerConsoleFeedRoute(app, { feed, metrics, heartbeatMs: 60_000, sendError: (reply, err) => reply.code(400).send(String(err)) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    feed.close();
    await app.close();
  });

  const open = (read = true) => {
    const sock = connect(port, '127.0.0.1');
    sockets.push(sock);
    const got = { raw: '', sock, resume: () => sock.on('data', (d: string) => (got.raw += d)) };
    sock.setEncoding('latin1');
    sock.write('GET /v1/console/feed?intervalMs=500 HTTP/1.1\r\nHost: x\r\n\r\n');
    if (read) got.resume();
    return got;
  };
  const clients = async () => (await metrics.sseClients.get()).values[0]?.value;
  const summaries = (raw: string) => [...raw.matchAll(/^event: summary\ndata: \{"n":(\d+)/gm)].map((m) => Number(m[1]));

  it('answers with the SSE headers, retry, a summary at once; the client going away unsubscribes and is counted out', async () => {
    const c = open();
    await until('a summary', () => c.raw.includes('event: summary\n'));
    const [head, body] = c.raw.split('\r\n\r\n');
    for (const [k, v] of Object.entries(sseHeaders)) expect(head).toContain(`\r\n${k}: ${v}`);
    // The chunked body's text, without the chunk sizes.
    const text = `\r\n${body}`.replace(/\r\n[0-9a-f]+\r\n/g, '');
    expect(text.startsWith('retry: 1000\n\nevent: summary\ndata: {"n":1,')).toBe(true);
    expect(feed.pollers).toBe(1);
    expect(await clients()).toBe(1);
    c.sock.destroy();
    await until('the feed stops', async () => feed.pollers === 0 && (await clients()) === 0);
    const readsThen = reads;
    await sleep(700);
    expect(reads).toBe(readsThen);
  });

  it('a reader whose socket is full gets the newest summary at drain, not a backlog', async () => {
    pad = 'p'.repeat(4 << 20);
    const c = open(false);
    // Several intervals while the reader reads nothing: the socket fills, later summaries replace each other.
    await until('five reads', () => reads >= 5);
    const readsAtResume = reads;
    c.resume();
    await until('the newest summary', () => summaries(c.raw).some((n) => n >= readsAtResume));
    const got = summaries(c.raw);
    // Every summary sent is complete and in order; some were replaced unsent.
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(new Set(got).size).toBe(got.length);
    expect(got.length).toBeLessThan(got.at(-1) ?? 0);
  }, 30_000);
});
