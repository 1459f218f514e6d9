import { wireModelSummary, type ModelSummary } from './catalog.ts';
import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorResponse } from './http-types.ts';
import { InvocationError } from './invocation-error.ts';
import { localizeArn } from './region-scope.ts';
import { sendJson } from './send-json.ts';

const enums: Record<string, readonly string[]> = {
  byOutputModality: ['TEXT', 'IMAGE', 'EMBEDDING'],
  byInferenceType: ['ON_DEMAND', 'PROVISIONED'],
  byCustomizationType: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION'],
};

const localize = (m: ModelSummary, region: string | undefined): ModelSummary => ({
  ...wireModelSummary(m),
  modelArn: localizeArn(m.modelArn, region),
});

/** GET /foundation-models with ListFoundationModels' four filters (byProvider, byOutputModality, byInferenceType, byCustomizationType). */
export function listFoundationModels(
  state: EmulatorState,
  res: EmulatorResponse,
  query: URLSearchParams,
  region: string | undefined,
  requestId: string,
): void {
  for (const [param, allowed] of Object.entries(enums)) {
    const v = query.get(param);
    if (v !== null && !allowed.includes(v)) {
      throw new InvocationError(
        'ValidationException',
        `1 validation error detected: Value '${v.slice(0, 100)}' at '${param}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
  }
  const provider = query.get('byProvider');
  if (provider !== null && !/^[A-Za-z0-9- ]{1,63}$/.test(provider)) {
    throw new InvocationError(
      'ValidationException',
      `1 validation error detected: Value '${provider.slice(0, 100)}' at 'byProvider' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9- ]{1,63}`,
    );
  }
  const out = query.get('byOutputModality');
  const inf = query.get('byInferenceType');
  const cus = query.get('byCustomizationType');
  const modelSummaries = state.catalog.models
    .filter((m) => provider === null || m.providerName.toLowerCase() === provider.toLowerCase())
    .filter((m) => out === null || m.outputModalities.includes(out))
    .filter((m) => inf === null || m.inferenceTypesSupported.includes(inf))
    .filter((m) => cus === null || m.customizationsSupported.includes(cus))
    .map((m) => localize(m, region));
  sendJson(res, 200, { modelSummaries }, requestId);
}

/** GET /foundation-models/{id or ARN} -> { modelDetails }, as GetFoundationModel answers. */
export function getFoundationModel(
  state: EmulatorState,
  res: EmulatorResponse,
  id: string,
  region: string | undefined,
  requestId: string,
): void {
  const key = id.startsWith('arn:') ? (id.split(':foundation-model/')[1] ?? '') : id;
  const model = state.catalog.models.find((m) => m.modelId === key);
  if (model === undefined)
    throw new InvocationError('ResourceNotFoundException', `The model ${JSON.stringify(id.slice(0, 200))} was not found.`);
  sendJson(res, 200, { modelDetails: localize(model, region) }, requestId);
}
