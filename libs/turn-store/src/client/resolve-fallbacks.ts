import { TurnError, checkModelInput, estimateInputTokens, type ResolvedModel, type TurnRequest } from '@turnpool/protocol';
import type { ModelResolver } from './model-resolver.ts';

/**
 * The turn's fallback models, resolved at submit time: the request's `fallbacks` (an unknown
 * ref there is the caller's error, named by field), else the configured defaults (an unknown or
 * unavailable one is skipped: the config serves every turn). A model that lacks one of the
 * turn's input kinds, whose context window the input does not fit, or that is the primary
 * itself, is left out — the worker never moves a turn to a model that cannot take it.
 */
export async function resolveFallbacks(
  request: TurnRequest,
  primary: ResolvedModel,
  resolveModel: ModelResolver,
  configured: readonly string[],
): Promise<ResolvedModel[]> {
  const explicit = request.fallbacks !== undefined;
  const refs = request.fallbacks ?? configured;
  const inputTokens = estimateInputTokens(request);
  const out: ResolvedModel[] = [];
  const seen = new Set([`${primary.region}/${primary.modelId}`]);
  for (const [i, ref] of refs.entries()) {
    let model: ResolvedModel;
    try {
      model = await resolveModel(ref, request);
    } catch (err) {
      if (explicit && err instanceof TurnError && err.code !== 'model_unavailable') {
        throw new TurnError(err.code, `fallbacks[${i}]: ${err.message}`, { field: `fallbacks[${i}]`, retryable: err.retryable });
      }
      continue;
    }
    const key = `${model.region}/${model.modelId}`;
    if (seen.has(key) || checkModelInput(request, model) !== undefined || inputTokens > model.contextWindow) continue;
    seen.add(key);
    out.push(model);
  }
  return out;
}
