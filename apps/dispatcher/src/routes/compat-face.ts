import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TurnError, type ResolvedModel, type TurnEndEvent, type TurnRequest } from '@turnpool/protocol';
import type { ModelResolver, TurnClient } from '@turnpool/turn-store/client';
import { toApiError } from '../api-error.ts';
import type { ModelCatalog } from '../build-dispatcher.ts';
import { apiKeyChecker } from '../check-api-key.ts';
import type { CompatDialect } from '../compat/compat-dialect.ts';
import { mapErrorField } from '../compat/map-error-field.ts';
import type { DispatcherMetrics } from '../dispatcher-metrics.ts';
import { fastifyErrorToTurnError } from '../fastify-error-to-turn-error.ts';
import { awaitTurn, pipeTurn, sendCompatError, turnHeaders } from './compat-turn-pipe.ts';
import { resumePoint } from './resume-point.ts';

/** What the compat faces share with the dispatcher. */
export interface CompatDeps {
  client: TurnClient;
  catalog: ModelCatalog;
  metrics: DispatcherMetrics;
  apiKeys: readonly string[];
  bodyLimit: number;
  heartbeatMs: number;
  modelAliases: Readonly<Record<string, string>>;
  /** With `countTokens`: count_tokens asks the model instead of estimating. */
  resolveModel?: ModelResolver;
  countTokens?: (request: TurnRequest, model: ResolvedModel) => Promise<number>;
}

/** A client API's request translated into a turn. */
export interface CompatTurn {
  request: Record<string, unknown>;
  origins: string[][];
  fieldNames: Record<string, string>;
  stream: boolean;
  includeUsage?: boolean;
  model: string | undefined;
}

/** What one face (OpenAI, Anthropic) plugs into the shared turn routes. */
export interface CompatFace {
  dialect: CompatDialect;
  /** The bearer header to check, from this API's credential header(s). */
  credential(req: FastifyRequest): string | undefined;
  /** The 401 message (names the header the client should send). */
  unauthorized: string;
  /** This API's id of a turn (`chatcmpl-<turnId>`, `msg_<turnId>`). */
  idPrefix: string;
  /** Route of the create call (`/v1/chat/completions`, `/v1/messages`). */
  createPath: string;
  translate(body: unknown): CompatTurn;
  /** The non-streaming answer for a finished turn. */
  answer(end: TurnEndEvent, meta: { id: string; created: number; model: string }): unknown;
}

/** `chatcmpl-<turnId>` / `msg_<turnId>` / a bare turn id → the turn id. */
function turnIdOf(id: string, prefix: string): string {
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

/**
 * Registers one face's error handling, authentication and turn routes inside `app` (an
 * encapsulated plugin under the face's prefix): create (streaming or not), fetch an answer by
 * id (waits for the end), and resume its stream by id (`…/:id/events`, `Last-Event-ID` or
 * `?after=`).
 */
export function registerCompatFace(app: FastifyInstance, face: CompatFace, deps: CompatDeps): void {
  const { client } = deps;
  const { dialect } = face;
  const checkKey = apiKeyChecker(deps.apiKeys);
  const authOn = deps.apiKeys.length > 0;
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) =>
    sendCompatError(reply, dialect, fastifyErrorToTurnError(err, deps.bodyLimit)),
  );
  app.setNotFoundHandler((req, reply) =>
    sendCompatError(reply, dialect, new TurnError('not_found', `No route ${req.method} ${req.url.split('?')[0]?.slice(0, 100)}.`)),
  );
  app.addHook('onRequest', async (req, reply) => {
    if (authOn && !checkKey(face.credential(req))) {
      await sendCompatError(
        reply.header('www-authenticate', 'Bearer'),
        dialect,
        new TurnError('unauthorized', face.unauthorized, { field: 'authorization' }),
      );
    }
  });

  /** Waits for the turn's end and answers with the whole answer (or the failure's status). */
  const answerWhenDone = async (
    req: FastifyRequest,
    reply: FastifyReply,
    turnId: string,
    meta: { id: string; created: number; model: string },
    headers: Record<string, string>,
  ) => {
    const abort = new AbortController();
    const onClose = () => abort.abort();
    req.raw.socket?.once('close', onClose);
    try {
      const outcome = await awaitTurn(client, turnId, abort.signal);
      if ('failure' in outcome) return sendCompatError(reply, dialect, outcome.failure, headers);
      return reply
        .headers({ ...headers, 'cache-control': 'no-store' })
        .send(face.answer(outcome.end, { ...meta, model: outcome.modelId ?? meta.model }));
    } finally {
      req.raw.socket?.off('close', onClose);
    }
  };

  app.post(face.createPath, async (req, reply) => {
    let headers: Record<string, string> = {};
    try {
      const key = req.headers['idempotency-key'];
      if (Array.isArray(key)) throw new TurnError('invalid_request', 'Send Idempotency-Key once.', { field: 'Idempotency-Key' });
      const turn = face.translate(req.body ?? undefined);
      const { turnId, created } = await client.submitTurn(turn.request, { idempotencyKey: key }).catch((err: unknown) => {
        throw mapErrorField(err, turn.origins, turn.fieldNames);
      });
      deps.metrics.turnsSubmitted.inc({ outcome: created ? 'accepted' : 'duplicate' });
      headers = turnHeaders(turnId);
      // `created` from the turn's record, so a re-attached request and a fetch by id show the same one.
      const submittedAt = (await client.getTurn(turnId))?.submittedAt ?? Date.now();
      const meta = { id: `${face.idPrefix}${turnId}`, created: Math.floor(submittedAt / 1000), model: turn.model ?? 'default' };
      if (turn.stream) {
        return await pipeTurn({
          client,
          reply,
          dialect,
          turnId,
          after: 0,
          deferHeaders: true,
          heartbeatMs: deps.heartbeatMs,
          headers,
          translator: dialect.translator({ ...meta, includeUsage: turn.includeUsage ?? false }),
          clients: deps.metrics.sseClients,
        });
      }
      return await answerWhenDone(req, reply, turnId, meta, headers);
    } catch (err) {
      if (Object.keys(headers).length === 0) deps.metrics.turnsSubmitted.inc({ outcome: toApiError(err).body.error.code });
      return sendCompatError(reply, dialect, err, headers);
    }
  });

  /** The turn behind `:id`, or turn_not_found naming `id`. */
  const findTurn = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    const turnId = turnIdOf(id, face.idPrefix);
    const info = await client.getTurn(turnId);
    if (!info) throw new TurnError('turn_not_found', `No turn ${turnId.slice(0, 128)} (it may have expired).`, { field: 'id' });
    return { turnId, meta: { id: `${face.idPrefix}${turnId}`, created: Math.floor(info.submittedAt / 1000), model: info.model.modelId } };
  };

  app.get(`${face.createPath}/:id`, async (req, reply) => {
    try {
      const { turnId, meta } = await findTurn(req);
      return await answerWhenDone(req, reply, turnId, meta, turnHeaders(turnId));
    } catch (err) {
      return sendCompatError(reply, dialect, err);
    }
  });

  app.get(`${face.createPath}/:id/events`, async (req, reply) => {
    let found: Awaited<ReturnType<typeof findTurn>>;
    let after: number;
    try {
      after = resumePoint(req);
      found = await findTurn(req);
    } catch (err) {
      return sendCompatError(reply, dialect, err);
    }
    const includeUsage = (req.query as { include_usage?: string }).include_usage !== 'false';
    return pipeTurn({
      client,
      reply,
      dialect,
      turnId: found.turnId,
      after,
      deferHeaders: false,
      heartbeatMs: deps.heartbeatMs,
      headers: turnHeaders(found.turnId),
      translator: dialect.translator({ ...found.meta, includeUsage }),
      clients: deps.metrics.sseClients,
    });
  });
}
