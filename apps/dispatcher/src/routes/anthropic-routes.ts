import type { FastifyInstance } from 'fastify';
import { TurnError, estimateInputTokens, parseTurnRequest } from '@turnpool/protocol';
import { anthropicDialect } from '../compat/anthropic/anthropic-dialect.ts';
import { anthropicMessage } from '../compat/anthropic/anthropic-message.ts';
import { anthropicToTurnRequest } from '../compat/anthropic/anthropic-to-turn-request.ts';
import { compatModelList } from '../compat/compat-model-list.ts';
import { mapErrorField } from '../compat/map-error-field.ts';
import { registerCompatFace, type CompatDeps } from './compat-face.ts';
import { sendCompatError } from './compat-turn-pipe.ts';

/**
 * The Anthropic-compatible face, under `/anthropic` (client `baseURL`: `http://host:8787/anthropic`):
 * `POST /v1/messages`, `POST /v1/messages/count_tokens`, `GET /v1/messages/:id` (the answer, by
 * message or turn id), `GET /v1/messages/:id/events` (resume the stream), `GET /v1/models[/:id]`.
 * Keys: `x-api-key` (the official client's) or `Authorization: Bearer`.
 */
export async function anthropicRoutes(app: FastifyInstance, deps: CompatDeps): Promise<void> {
  registerCompatFace(
    app,
    {
      dialect: anthropicDialect,
      credential: (req) => {
        const key = req.headers['x-api-key'];
        return typeof key === 'string' ? `Bearer ${key}` : req.headers.authorization;
      },
      unauthorized: 'Missing or invalid API key (x-api-key: <key>, or Authorization: Bearer <key>).',
      idPrefix: 'msg_',
      createPath: '/v1/messages',
      translate: (body) => anthropicToTurnRequest(body),
      answer: anthropicMessage,
    },
    deps,
  );

  // The model's own count (Bedrock CountTokens, through the counter the dispatcher was given);
  // without one, turnpool's estimate (about four characters a token, a fixed amount per image or
  // document — what admission reserves).
  app.post('/v1/messages/count_tokens', async (req, reply) => {
    try {
      const turn = anthropicToTurnRequest(req.body ?? undefined, { forCount: true });
      const parsed = parseTurnRequest(turn.request);
      if (!parsed.ok) throw mapErrorField(parsed.error, turn.origins, turn.fieldNames);
      const { resolveModel, countTokens } = deps;
      if (!resolveModel || !countTokens) return reply.send({ input_tokens: estimateInputTokens(parsed.value) });
      const model = await resolveModel(parsed.value.model, parsed.value);
      return reply.send({ input_tokens: await countTokens(parsed.value, model) });
    } catch (err) {
      return sendCompatError(reply, anthropicDialect, err);
    }
  });

  const list = async () => {
    const snap = await deps.catalog.list();
    const createdAt = new Date(snap.fetchedAt).toISOString();
    return compatModelList(snap.entries, deps.modelAliases).map((m) => ({
      type: 'model' as const,
      id: m.id,
      display_name: m.name,
      created_at: createdAt,
    }));
  };
  app.get('/v1/models', async (_req, reply) => {
    try {
      const data = await list();
      return reply.send({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    } catch (err) {
      return sendCompatError(reply, anthropicDialect, err);
    }
  });
  app.get('/v1/models/*', async (req, reply) => {
    try {
      const id = (req.params as { '*': string })['*'];
      const model = (await list()).find((m) => m.id === id || `amazon-bedrock/${m.id}` === id);
      if (!model)
        throw new TurnError(
          'model_not_found',
          `Unknown model "${id.slice(0, 200)}". GET /anthropic/v1/models lists the models you can use.`,
          { field: 'model' },
        );
      return reply.send(model);
    } catch (err) {
      return sendCompatError(reply, anthropicDialect, err);
    }
  });
}
