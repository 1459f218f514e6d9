import type { ResolvedModel } from '@turnpool/protocol';

/**
 * True for Anthropic (Claude) models, whatever the id form: `anthropic.…`, a profile
 * (`us.anthropic.…`, `global.anthropic.…`) or an ARN. Only these accept signed reasoning
 * replay and the `thinking` request field.
 */
export function isAnthropicModel(model: Pick<ResolvedModel, 'provider' | 'baseModelId' | 'modelId'>): boolean {
  if (model.provider.toLowerCase() === 'anthropic') return true;
  return /(^|[./])anthropic\./.test(model.baseModelId) || /(^|[./])anthropic\./.test(model.modelId);
}
