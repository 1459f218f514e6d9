import type { FastifyInstance, FastifyReply } from 'fastify';
import { TurnError } from '@turnpool/protocol';
import type { TurnClient } from '@turnpool/turn-store/client';
import { encodeSse } from '@turnpool/turn-store';
import type { DispatcherMetrics } from '../dispatcher-metrics.ts';
import { resumePoint } from './resume-point.ts';
import { openSse, streamErrorFrame } from './sse-response.ts';

interface EventsRouteDeps {
  client: TurnClient;
  metrics: DispatcherMetrics;
  heartbeatMs: number;
  sendError: (reply: FastifyReply, err: unknown) => unknown;
}

/**
 * `GET /v1/turns/:id/events`: the turn's events as Server-Sent Events (`id: <seq>`,
 * `event: <type>`, JSON data), from `Last-Event-ID` / `?after=`, ending after the terminal
 * event. Written by {@link openSse}: frames ready together (one live message of several events,
 * a replayed page) go out in one `write`, and a slow client is paced by the socket (we wait for
 * `drain`), never buffered without bound.
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
    const sse = openSse(reply.raw, { heartbeatMs: deps.heartbeatMs, retryMs: 1000, clients: deps.metrics.sseClients });
    try {
      for await (const event of deps.client.subscribeTurn(turnId, { after, signal: sse.signal })) {
        deps.metrics.events.inc({ type: event.type });
        if (event.type === 'turn-end') {
          deps.metrics.turnsFinished.inc({ type: event.type, code: '' });
          if (event.timings.ttftMs !== null) deps.metrics.ttft.observe(event.timings.ttftMs / 1000);
        } else if (event.type === 'turn-error') deps.metrics.turnsFinished.inc({ type: event.type, code: event.code });
        else if (event.type === 'turn-cancelled') deps.metrics.turnsFinished.inc({ type: event.type, code: '' });
        sse.send(encodeSse(event));
        if (sse.full) {
          await sse.drained();
          if (sse.signal.aborted) break;
        }
      }
    } catch (err) {
      if (!sse.signal.aborted) sse.send(streamErrorFrame(err));
    } finally {
      sse.end();
    }
  });
}
