import type { Catalog, ModelSummary, ProfileSummary } from './catalog.ts';
import { InvocationError } from './invocation-error.ts';
import { isProfileVisible } from './region-scope.ts';

export interface ResolvedModel {
  /** The catalog model that answers. */
  model: ModelSummary;
  /** Set when the call went through an inference profile. */
  profile?: ProfileSummary;
}

export interface ResolveOptions {
  disabledModels: readonly string[];
  unknownModelError: 'ResourceNotFoundException' | 'ValidationException';
  /** SigV4 scope region; profiles of other geographies are invisible. */
  region?: string;
}

const invalidId = 'The provided model identifier is invalid.';
const arnRe = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):(\d*):([a-z-]+)\/(.+)$/;
/** A model or inference profile id (not an ARN) as Bedrock accepts it in the path. */
export const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/;

/** Applies Bedrock's invocation rules (what it refuses before invoking a model) to a decoded `{modelId}` path label. */
export function resolveModel(id: string, catalog: Catalog, opts: ResolveOptions): ResolvedModel {
  const resolved = lookup(id, catalog, opts);
  const disabled = new Set(opts.disabledModels);
  if (disabled.has(id) || disabled.has(resolved.model.modelId) || (resolved.profile && disabled.has(resolved.profile.inferenceProfileId))) {
    throw new InvocationError('AccessDeniedException', "You don't have access to the model with the specified model ID.");
  }
  if (!resolved.model.outputModalities.includes('TEXT')) {
    throw new InvocationError(
      'ValidationException',
      "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
    );
  }
  if (resolved.profile === undefined && !resolved.model.inferenceTypesSupported.includes('ON_DEMAND')) {
    if (resolved.model.inferenceTypesSupported.includes('INFERENCE_PROFILE')) {
      throw new InvocationError(
        'ValidationException',
        `Invocation of model ID ${resolved.model.modelId} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
    }
    throw new InvocationError('ResourceNotFoundException', 'Model not found.');
  }
  return resolved;
}

function lookup(id: string, catalog: Catalog, opts: ResolveOptions): ResolvedModel {
  const notFound = (): never => {
    throw new InvocationError(opts.unknownModelError, opts.unknownModelError === 'ValidationException' ? invalidId : 'Model not found.');
  };
  let kind = 'foundation-model';
  let key = id;
  const arn = arnRe.exec(id);
  if (id.startsWith('arn:')) {
    if (arn === null) throw new InvocationError('ValidationException', invalidId);
    kind = arn[3] ?? '';
    key = arn[4] ?? '';
  } else if (!modelIdPattern.test(id)) {
    throw new InvocationError('ValidationException', invalidId);
  }
  if (kind === 'inference-profile' || kind === 'application-inference-profile' || (kind === 'foundation-model' && !arn)) {
    const profile = catalog.profiles.find((p) => p.inferenceProfileId === key || p.inferenceProfileArn === id);
    if (profile !== undefined) {
      if (!isProfileVisible(profile, opts.region)) throw new InvocationError('ValidationException', invalidId);
      const baseId = profile.models[0]?.modelArn.split('foundation-model/')[1];
      const model = catalog.models.find((m) => m.modelId === baseId);
      if (model === undefined) return notFound();
      return { model, profile };
    }
    if (kind !== 'foundation-model') return notFound();
  }
  if (kind !== 'foundation-model') throw new InvocationError('ValidationException', invalidId);
  const model = catalog.models.find((m) => m.modelId === key);
  return model === undefined ? notFound() : { model };
}
