import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TurnListQuery } from '@turnpool/turn-store/client';
import type { ConsoleReads } from './console-read.ts';
import { queryInt, queryString } from './read-query.ts';

interface ConsoleRoutesDeps {
  reads: ConsoleReads;
  sendError: (reply: FastifyReply, err: unknown) => unknown;
}

/** `GET /v1/turns`, `/v1/hosts`, `/v1/queue`, `/v1/models/live` (docs/api.md, "Read APIs"). */
export function registerConsoleRoutes(app: FastifyInstance, { reads, sendError }: ConsoleRoutesDeps): void {
  app.get('/v1/turns', async (req, reply) => {
    try {
      const query: TurnListQuery = { limit: queryInt(req, 'limit', 1, 200, 50) };
      for (const name of ['model', 'host', 'error', 'cursor'] as const) {
        const v = queryString(req, name);
        if (v !== undefined) query[name] = v;
      }
      const state = queryString(req, 'state');
      // The client checks the value and names `state` when it is not a turn state.
      if (state !== undefined) query.state = state as TurnListQuery['state'];
      return reply.header('cache-control', 'no-store').send(await reads.turns(query));
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.get('/v1/hosts', async (_req, reply) => {
    try {
      return reply.header('cache-control', 'no-store').send({ hosts: await reads.hosts() });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.get('/v1/queue', async (_req, reply) => {
    try {
      return reply.header('cache-control', 'no-store').send(await reads.queue());
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.get('/v1/models/live', async (req, reply) => {
    try {
      const windowMinutes = queryInt(req, 'windowMinutes', 1, 60, 5);
      return reply.header('cache-control', 'no-store').send({ windowMinutes, models: await reads.liveModels(windowMinutes) });
    } catch (err) {
      return sendError(reply, err);
    }
  });
}
