import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DispatcherMetrics } from '../dispatcher-metrics.ts';
import { queryInt } from './read-query.ts';
import { openSse, streamErrorFrame } from './sse-response.ts';
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
    const sse = openSse(reply.raw, { heartbeatMs: deps.heartbeatMs, retryMs: 1000, clients: deps.metrics.sseClients });
    // The newest summary that came while the socket was full, written at its drain.
    let held: string | undefined;
    const writeHeld = () => {
      const frame = held;
      held = undefined;
      if (frame !== undefined) sse.send(frame);
    };
    const unsubscribe = deps.feed.subscribe(intervalMs, (d) => {
      if ('error' in d) {
        sse.send(streamErrorFrame(d.error));
        // After the current tick: subscribe() may deliver synchronously, before `unsubscribe` is assigned.
        setImmediate(finish);
      } else if (!sse.full) sse.send(d.frame);
      else {
        if (held === undefined) void sse.drained().then(writeHeld);
        held = d.frame;
      }
    });
    const finish = () => {
      unsubscribe();
      sse.end();
    };
    sse.signal.addEventListener('abort', finish, { once: true });
  });
}
