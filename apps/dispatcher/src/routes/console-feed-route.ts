import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DispatcherMetrics } from '../dispatcher-metrics.ts';
import { queryInt } from './read-query.ts';
import type { SummaryFeed } from './summary-feed.ts';

interface ConsoleFeedDeps {
  feed: SummaryFeed;
  metrics: DispatcherMetrics;
  heartbeatMs: number;
  sendError: (reply: FastifyReply, err: unknown) => unknown;
}

/**
 * `GET /v1/console/feed`: Server-Sent Events, an `event: summary` at once and every
 * `intervalMs`, with the events route's conventions (`retry: 1000`, keep-alive comments, ends
 * when the client goes away). Backpressure: a summary replaces the previous one, so while the
 * socket buffer is full only the newest frame is kept and written at `drain` — a slow reader
 * gets fewer summaries, never an unbounded buffer.
 */
export function registerConsoleFeedRoute(app: FastifyInstance, deps: ConsoleFeedDeps): void {
  app.get('/v1/console/feed', async (req, reply) => {
    let intervalMs: number;
    try {
      intervalMs = queryInt(req, 'intervalMs', 500, 60_000, 2000);
    } catch (err) {
      return deps.sendError(reply, err);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    deps.metrics.sseClients.inc();
    res.write('retry: 1000\n\n');
    let full = false;
    let held: string | undefined;
    let done = false;
    const write = (text: string) => {
      if (!res.write(text)) full = true;
    };
    const onDrain = () => {
      full = false;
      if (held !== undefined) {
        const text = held;
        held = undefined;
        write(text);
      }
    };
    const heartbeat = setInterval(() => {
      if (!full) write(': keep-alive\n\n');
    }, deps.heartbeatMs);
    heartbeat.unref();
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      clearInterval(heartbeat);
      res.off('drain', onDrain);
      res.off('close', finish);
      deps.metrics.sseClients.dec();
      res.end();
    };
    res.on('drain', onDrain);
    res.on('close', finish);
    const unsubscribe = deps.feed.subscribe(intervalMs, (d) => {
      if (done) return;
      if ('error' in d) {
        const message = String(d.error.message ?? d.error).slice(0, 200);
        write(`event: stream-error\ndata: ${JSON.stringify({ code: 'service_unavailable', message, retryable: true })}\n\n`);
        // After the current tick: subscribe() may deliver synchronously, before `unsubscribe` is assigned.
        setImmediate(finish);
        return;
      }
      if (full) held = d.frame;
      else write(d.frame);
    });
  });
}
