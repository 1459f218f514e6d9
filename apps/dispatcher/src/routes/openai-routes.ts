import type { FastifyInstance } from 'fastify';
import { TurnError } from '@turnpool/protocol';
import { compatModelList } from '../compat/compat-model-list.ts';
import { openAiCompletion } from '../compat/openai/openai-completion.ts';
import { openAiDialect } from '../compat/openai/openai-dialect.ts';
import { openAiToTurnRequest } from '../compat/openai/openai-to-turn-request.ts';
import { registerCompatFace, type CompatDeps } from './compat-face.ts';
import { sendCompatError } from './compat-turn-pipe.ts';

/**
 * The OpenAI-compatible face, under `/openai` (client `baseURL`: `http://host:8787/openai/v1`):
 * `POST /v1/chat/completions`, `GET /v1/chat/completions/:id` (the answer, by completion or
 * turn id), `GET /v1/chat/completions/:id/events` (resume the stream), `GET /v1/models[/:id]`.
 */
export async function openAiRoutes(app: FastifyInstance, deps: CompatDeps): Promise<void> {
  registerCompatFace(
    app,
    {
      dialect: openAiDialect,
      credential: (req) => req.headers.authorization,
      unauthorized: 'Missing or invalid API key (Authorization: Bearer <key>).',
      idPrefix: 'chatcmpl-',
      createPath: '/v1/chat/completions',
      translate: openAiToTurnRequest,
      answer: openAiCompletion,
    },
    deps,
  );

  const list = async () => {
    const snap = await deps.catalog.list();
    const created = Math.floor(snap.fetchedAt / 1000);
    return compatModelList(snap.entries, deps.modelAliases).map((m) => ({
      id: m.id,
      object: 'model' as const,
      created,
      owned_by: m.provider.toLowerCase(),
    }));
  };
  app.get('/v1/models', async (_req, reply) => {
    try {
      return reply.send({ object: 'list', data: await list() });
    } catch (err) {
      return sendCompatError(reply, openAiDialect, err);
    }
  });
  app.get('/v1/models/*', async (req, reply) => {
    try {
      const id = (req.params as { '*': string })['*'];
      const model = (await list()).find((m) => m.id === id || `amazon-bedrock/${m.id}` === id);
      if (!model)
        throw new TurnError('model_not_found', `Unknown model "${id.slice(0, 200)}". GET /openai/v1/models lists the models you can use.`, {
          field: 'model',
        });
      return reply.send(model);
    } catch (err) {
      return sendCompatError(reply, openAiDialect, err);
    }
  });
}
