import type { FastifyInstance } from 'fastify';
import { anthropicRoutes } from './anthropic-routes.ts';
import type { CompatDeps } from './compat-face.ts';
import { openAiRoutes } from './openai-routes.ts';

/**
 * The OpenAI- and Anthropic-compatible faces (docs/compat.md), each an encapsulated plugin
 * under its prefix with its own error shape, 404s and key header. Every request is a turn.
 */
export function registerCompatRoutes(app: FastifyInstance, deps: CompatDeps): void {
  // register() returns the instance (a thenable) for chaining; a plugin's error is not lost:
  // Fastify reports it from ready()/listen(), which the caller awaits.
  void app.register(async (scope) => openAiRoutes(scope, deps), { prefix: '/openai' });
  void app.register(async (scope) => anthropicRoutes(scope, deps), { prefix: '/anthropic' });
}
