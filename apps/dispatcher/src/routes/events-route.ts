import { once } from 'node:events';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TurnError } from '@turnpool/protocol';
import type { TurnClient } from '@turnpool/turn-store/client';
import { encodeSse } from '@turnpool/turn-store';
import type { DispatcherMetrics } from '../dispatcher-metrics.ts';
import { resumePoint } from './resume-point.ts';

interface EventsRouteDeps {
  client: TurnClient;
  metrics: DispatcherMetrics;
  heartbeatMs: number;
  sendError: (reply: FastifyReply, err: unknown) => unknown;
}

/**
 * `GET /v1/turns/:id/events`: the turn's events as Server-Sent Events (`id: <seq>`,
 * `event: <type>`, JSON data), from `Last-Event-ID` / `?after=`, ending after the terminal
 * event. Frames ready together (one live message of several events, a replayed page) are
 * written in one `write` at the end of the tick, not one each. A slow client is paced by the
 * socket (we wait for `drain`), never buffered without bound: at most one tick's frames are
 * added past a full socket buffer.
 */
export function registerEventsRoute(app: FastifyInstance, deps: EventsRouteDeps): void {
  app.get('/v1/turns/:id/events', async (req, reply) => {
    const turnId = (req.params as { id: string }).id;
    let after: number;
    try {
      after = resumePoint(req);
      if (!(await deps.client.getTurn(turnId)))
        throw new TurnError('turn_not_found', `No turn ${turnId} (it may have expired).`, { field: 'turnId' });
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
    const abort = new AbortController();
    const onClose = () => abort.abort();
    res.on('close', onClose);
    deps.metrics.sseClients.inc();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), deps.heartbeatMs);
    heartbeat.unref();
    // Frames of this tick, written together by flush() (next tick, or before anything else is written).
    // `full` is true from a write that found the socket buffer full until its 'drain'.
    let pending = '';
    let full = false;
    const onDrain = () => {
      full = false;
    };
    res.on('drain', onDrain);
    const flush = () => {
      const out = pending;
      pending = '';
      if (out !== '' && !abort.signal.aborted && !res.write(out)) full = true;
    };
    try {
      res.write('retry: 1000\n\n');
      for await (const event of deps.client.subscribeTurn(turnId, { after, signal: abort.signal })) {
        deps.metrics.events.inc({ type: event.type });
        if (event.type === 'turn-end') {
          deps.metrics.turnsFinished.inc({ type: event.type, code: '' });
          if (event.timings.ttftMs !== null) deps.metrics.ttft.observe(event.timings.ttftMs / 1000);
        } else if (event.type === 'turn-error') deps.metrics.turnsFinished.inc({ type: event.type, code: event.code });
        else if (event.type === 'turn-cancelled') deps.metrics.turnsFinished.inc({ type: event.type, code: '' });
        if (pending === '') process.nextTick(flush);
        pending += encodeSse(event);
        if (full) {
          await Promise.race([once(res, 'drain'), once(abort.signal, 'abort')]);
          if (abort.signal.aborted) break;
        }
      }
      flush();
    } catch (err) {
      flush();
      if (!abort.signal.aborted) {
        const e = err as { code?: string; message?: string };
        res.write(
          `event: stream-error\ndata: ${JSON.stringify({ code: 'service_unavailable', message: String(e.message ?? err).slice(0, 200), retryable: true })}\n\n`,
        );
      }
    } finally {
      clearInterval(heartbeat);
      res.off('close', onClose);
      res.off('drain', onDrain);
      deps.metrics.sseClients.dec();
      res.end();
    }
  });
}
