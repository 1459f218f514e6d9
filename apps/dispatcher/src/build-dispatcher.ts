import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import { resolveSetting } from '@turnpool/config';
import { TurnError, type Catalog, type ResolvedModel, type TurnRequest } from '@turnpool/protocol';
import type { QuotaStatus } from '@turnpool/quota';
import type { ModelResolver, TurnClient } from '@turnpool/turn-store/client';
import { toApiError } from './api-error.ts';
import { compatDialectFor } from './compat/compat-dialect-for.ts';
import { fastifyErrorToTurnError } from './fastify-error-to-turn-error.ts';
import { registerCompatRoutes } from './routes/compat-routes.ts';
import { apiKeyChecker } from './check-api-key.ts';
import { createDispatcherMetrics } from './dispatcher-metrics.ts';
import { registerEventsRoute } from './routes/events-route.ts';
import { isConsolePath, registerConsolePageRoute } from './routes/console-page-route.ts';
import { consoleReads } from './routes/console-read.ts';
import { registerConsoleRoutes } from './routes/console-routes.ts';
import { registerConsoleFeedRoute } from './routes/console-feed-route.ts';
import { createSummaryFeed } from './routes/summary-feed.ts';

/** What `GET /v1/models` lists and /metrics reads (`marks`, when given): the shared catalog's read side. */
export type ModelCatalog = Pick<Catalog, 'list'> & Partial<Pick<Catalog, 'marks'>>;

/** What `GET /v1/quotas` and the quota gauges read (libs/quota's AdmissionControl fits). */
export interface QuotaStatusSource {
  /** The state of every quota key hosts have used. */
  status(): Promise<QuotaStatus[]>;
}

export interface DispatcherOptions {
  client: TurnClient;
  catalog: ModelCatalog;
  /** For /readyz. */
  redis: Redis | Cluster;
  /** The fleet's admission state for `GET /v1/quotas` and /metrics; without it the route answers `{quotas: []}`. @defaultValue none */
  quotas?: QuotaStatusSource;
  /** Bearer API keys; empty = no auth. Every route but /healthz and /readyz needs one when set. @defaultValue [] */
  apiKeys?: readonly string[];
  /**
   * Bearer keys that may read but not act: every `GET` passes, any other method (submit, cancel)
   * answers `403 forbidden`. They turn authentication on like `apiKeys`; a key in both lists is
   * read-only. The OpenAI / Anthropic faces do not accept them (401). @defaultValue []
   */
  readOnlyApiKeys?: readonly string[];
  /** Largest request body. @defaultValue sharedSettings.bodyLimitBytes (the protocol's 20 MiB + 1 MiB of JSON overhead) */
  bodyLimitBytes?: number;
  /** SSE comment sent this often so proxies keep the connection. @defaultValue 15000 */
  heartbeatMs?: number;
  /** Model names clients send → model refs (config `dispatcher.modelAliases`): listed by the OpenAI / Anthropic model routes. @defaultValue {} */
  modelAliases?: Readonly<Record<string, string>>;
  /**
   * Resolves a request's model (the turn client's resolver); with `countTokens`, makes the
   * Anthropic face's `count_tokens` ask the model. @defaultValue none (count_tokens estimates)
   */
  resolveModel?: ModelResolver;
  /** Counts input tokens as the model does (libs/bedrock `createTokenCounter`: Bedrock CountTokens). @defaultValue none (an estimate) */
  countTokens?: (request: TurnRequest, model: ResolvedModel) => Promise<number>;
  /** A pino logger instance (the CLI's root logger), or false. @defaultValue false */
  logger?: false | object;
  /** The operator console's build (apps/console/dist), served at `/console`; false = not served. @defaultValue apps/console/dist beside this app */
  consoleDir?: string | false;
}

const openPaths = new Set(['/healthz', '/readyz']);

/**
 * The dispatcher's HTTP API: a thin face over the turn client. Every error answer is
 * `{error: {code, message, retryable, field?}}` with the catalogue's status.
 */
export function buildDispatcher(opts: DispatcherOptions): FastifyInstance {
  const bodyLimit = resolveSetting('bodyLimitBytes', opts.bodyLimitBytes, 'dispatcher option bodyLimitBytes');
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit,
    // Deeply nested or huge JSON is refused by parseTurnRequest; the parser must not be the weak spot.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Errors Fastify raises before routing (an over-long or malformed URL) keep our error shape.
    frameworkErrors: (err, req, res) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const reply = res as unknown as FastifyReply;
      const error = {
        code: 'invalid_request' as const,
        message: tooLong ? 'A path parameter is longer than 256 characters.' : 'The URL is malformed.',
        retryable: false,
        field: 'url',
      };
      // The OpenAI / Anthropic faces answer in their clients' error shapes, even here.
      const dialect = compatDialectFor(req.url.split('?')[0] ?? '');
      const body = dialect ? dialect.toError(new TurnError(error.code, error.message, { field: error.field })).body : { error };
      // frameworkErrors is a void callback: send, and do not hand Fastify the reply (a thenable) back.
      reply
        .code(tooLong ? 414 : 400)
        .header('cache-control', 'no-store')
        .send(body);
    },
    // Requests Node's HTTP parser refuses (control bytes in a header, a broken request line).
    clientErrorHandler: (err: Error & { code?: string }, socket) => {
      const body = JSON.stringify({
        error: {
          code: 'invalid_request',
          message: `The HTTP request is malformed (${err.code ?? 'parse error'}).`,
          retryable: false,
          field: 'headers',
        },
      });
      if (socket.writable)
        socket.end(
          `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      else socket.destroy();
    },
    routerOptions: { maxParamLength: 256 },
  });
  // JSON only: Fastify would otherwise accept text/plain bodies as strings.
  app.removeContentTypeParser('text/plain');
  const { client } = opts;
  const { quotas } = opts;
  const metrics = createDispatcherMetrics(
    () => client.queueCounts(),
    opts.catalog.marks?.bind(opts.catalog),
    quotas && (() => quotas.status()),
  );
  const readOnlyKeys = opts.readOnlyApiKeys ?? [];
  const checkKey = apiKeyChecker([...(opts.apiKeys ?? []), ...readOnlyKeys]);
  const isReadOnlyKey = apiKeyChecker(readOnlyKeys);
  const authOn = (opts.apiKeys ?? []).length + readOnlyKeys.length > 0;

  const sendError = (reply: FastifyReply, err: unknown) => {
    const { status, body } = toApiError(err);
    if (status >= 500 && body.error.code === 'internal') app.log.error({ err }, 'unexpected error');
    return reply.code(status).header('cache-control', 'no-store').send(body);
  };

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) =>
    sendError(reply, fastifyErrorToTurnError(err, bodyLimit)),
  );
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, new TurnError('not_found', `No route ${req.method} ${req.url.split('?')[0]?.slice(0, 100)}.`)),
  );

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    // The OpenAI / Anthropic faces check keys their clients' way and answer in their shapes.
    // The console's static files hold no data: the page asks for a key when the API answers 401.
    if (!authOn || openPaths.has(path) || isConsolePath(path) || compatDialectFor(path) !== undefined) return;
    if (!checkKey(req.headers.authorization)) {
      await sendError(
        reply.header('www-authenticate', 'Bearer'),
        new TurnError('unauthorized', 'Missing or invalid API key (Authorization: Bearer <key>).', { field: 'authorization' }),
      );
    } else if (readOnlyKeys.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' && isReadOnlyKey(req.headers.authorization)) {
      await sendError(
        reply,
        new TurnError('forbidden', 'This API key is read-only: it cannot submit or cancel turns.', { field: 'authorization' }),
      );
    }
  });

  const idParam = (req: FastifyRequest): string => (req.params as { id: string }).id;

  app.post('/v1/turns', async (req, reply) => {
    try {
      const header = req.headers['idempotency-key'];
      if (Array.isArray(header)) throw new TurnError('invalid_request', 'Send Idempotency-Key once.', { field: 'Idempotency-Key' });
      if (req.body === undefined || req.body === null)
        throw new TurnError('invalid_request', 'The request body is empty.', { field: 'body' });
      const { turnId, created } = await client.submitTurn(req.body, { idempotencyKey: header });
      metrics.turnsSubmitted.inc({ outcome: created ? 'accepted' : 'duplicate' });
      return reply
        .code(202)
        .header('location', `/v1/turns/${turnId}`)
        .send({ turnId, created, eventsUrl: `/v1/turns/${turnId}/events` });
    } catch (err) {
      metrics.turnsSubmitted.inc({ outcome: toApiError(err).body.error.code });
      return sendError(reply, err);
    }
  });

  app.get('/v1/turns/:id', async (req, reply) => {
    try {
      const info = await client.getTurn(idParam(req));
      if (!info) throw new TurnError('turn_not_found', `No turn ${idParam(req)} (it may have expired).`, { field: 'turnId' });
      return reply.header('cache-control', 'no-store').send(info);
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.post('/v1/turns/:id/cancel', async (req, reply) => {
    try {
      const by = typeof req.headers['x-turnpool-actor'] === 'string' ? req.headers['x-turnpool-actor'].slice(0, 64) : 'api';
      const info = await client.cancelTurn(idParam(req), by);
      return reply.code(202).send({ turnId: info.turnId, state: info.state });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  registerEventsRoute(app, { client, metrics, heartbeatMs: opts.heartbeatMs ?? 15_000, sendError });

  app.get('/v1/models', async (req, reply) => {
    try {
      const all = (req.query as { all?: string }).all === 'true';
      const snap = await opts.catalog.list({ includeFiltered: all });
      return reply.send({
        models: snap.entries,
        stale: snap.stale,
        fetchedAt: snap.fetchedAt,
        ...(snap.warning ? { warning: snap.warning } : {}),
      });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.get('/v1/quotas', async (_req, reply) => {
    try {
      return reply.header('cache-control', 'no-store').send({ quotas: quotas ? await quotas.status() : [] });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  const reads = consoleReads({
    client,
    ...(opts.catalog.marks ? { marks: opts.catalog.marks.bind(opts.catalog) } : {}),
    ...(quotas ? { quotas: () => quotas.status() } : {}),
  });
  registerConsoleRoutes(app, { reads, sendError });
  // The feed's summary carries the 5-minute window, as `GET /v1/models/live` does by default.
  const feed = createSummaryFeed(() => reads.summary(5));
  app.addHook('onClose', async () => feed.close());
  registerConsoleFeedRoute(app, { feed, metrics, heartbeatMs: opts.heartbeatMs ?? 15_000, sendError });

  registerCompatRoutes(app, {
    client,
    catalog: opts.catalog,
    metrics,
    apiKeys: opts.apiKeys ?? [],
    bodyLimit,
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    modelAliases: opts.modelAliases ?? {},
    ...(opts.resolveModel && opts.countTokens ? { resolveModel: opts.resolveModel, countTokens: opts.countTokens } : {}),
  });

  if (opts.consoleDir !== false) registerConsolePageRoute(app, opts.consoleDir);

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    try {
      const pong = await Promise.race([
        opts.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Command timed out')), 1000).unref()),
      ]);
      return reply.send({ ok: pong === 'PONG', redis: 'up' });
    } catch {
      return reply
        .code(503)
        .send({ ok: false, redis: 'down', error: { code: 'service_unavailable', message: 'Redis does not answer.', retryable: true } });
    }
  });
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  return app;
}
