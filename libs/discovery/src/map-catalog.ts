import type { CatalogEntry, FilteredModel, ModelInput } from '@turnpool/protocol';
import { lookupKnownLimits, withDocumentInput } from './known-limits.ts';
import { geographiesForRegion, profileGeography } from './profile-geography.ts';

/** The members of a ListFoundationModels summary that discovery reads (lenient: extra members are ignored). */
export interface RawFoundationModel {
  modelId?: string | undefined;
  modelName?: string | undefined;
  providerName?: string | undefined;
  inputModalities?: readonly string[] | undefined;
  outputModalities?: readonly string[] | undefined;
  responseStreamingSupported?: boolean | undefined;
  inferenceTypesSupported?: readonly string[] | undefined;
  modelLifecycle?: { status?: string | undefined } | undefined;
}

/** The members of a ListInferenceProfiles summary that discovery reads. */
export interface RawInferenceProfile {
  inferenceProfileId?: string | undefined;
  inferenceProfileName?: string | undefined;
  inferenceProfileArn?: string | undefined;
  models?: readonly { modelArn?: string | undefined }[] | undefined;
  status?: string | undefined;
  type?: string | undefined;
}

export interface MapCatalogOptions {
  models: readonly RawFoundationModel[];
  profiles: readonly RawInferenceProfile[];
  region: string;
  /** Provider names to keep, case-insensitive; empty or undefined keeps all. */
  providerFilter?: readonly string[] | undefined;
  defaultContextWindow: number;
  defaultMaxTokens: number;
}

/**
 * Lifecycle states that stay in the catalog. The OpenClaw docs say ACTIVE; turnpool also keeps
 * LEGACY because Bedrock still serves legacy models (legacy is not end-of-life) and running
 * sessions pinned to one must not lose it. Every entry carries its `lifecycle`.
 */
export const keptLifecycles: readonly string[] = ['ACTIVE', 'LEGACY'];

const modalityMap: Record<string, ModelInput> = { TEXT: 'text', IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document' };

/**
 * Bedrock's two lists -> the catalog (pure). Keeps models that stream, output TEXT, are ACTIVE
 * or LEGACY and match `providerFilter`. A model with ON_DEMAND is offered by its id; every
 * inference profile of the region's geography (and `global`) that routes to a kept model is
 * offered by the profile id and inherits the model's capabilities; a model without ON_DEMAND
 * is reachable only that way (newer models run only through profiles: their bare id fails on demand). PROVISIONED-only variants are dropped. Limits come
 * from the known-limits table, else the defaults with `limitsKnown: false` (Bedrock reports no token limits).
 * `input` is Bedrock's `inputModalities` plus `document` unless the known-limits table says the
 * family takes none (Bedrock never lists documents; unknown families are let through).
 */
export function mapCatalog(opts: MapCatalogOptions): { entries: CatalogEntry[]; filtered: FilteredModel[] } {
  const filter = new Set((opts.providerFilter ?? []).map((p) => p.trim().toLowerCase()));
  const geographies = new Set(geographiesForRegion(opts.region));
  const profilesByModel = indexProfiles(opts.profiles, geographies);
  const entries: CatalogEntry[] = [];
  const filtered: FilteredModel[] = [];
  const seen = new Set<string>();
  const add = (e: CatalogEntry) => {
    if (!seen.has(e.id)) {
      seen.add(e.id);
      entries.push(e);
    }
  };

  for (const m of opts.models) {
    if (typeof m.modelId !== 'string' || m.modelId === '' || m.modelId.length > 256) continue;
    const id = m.modelId;
    const name = typeof m.modelName === 'string' ? m.modelName : id;
    const provider = typeof m.providerName === 'string' ? m.providerName : (id.split('.')[0] ?? '');
    const skip = (reason: string) => filtered.push({ id, name, provider, reason });
    const outputs = stringList(m.outputModalities);
    const types = stringList(m.inferenceTypesSupported);
    const lifecycle = typeof m.modelLifecycle?.status === 'string' ? m.modelLifecycle.status : 'ACTIVE';
    const profiles = profilesByModel.get(id) ?? [];

    if (filter.size > 0 && !filter.has(provider.toLowerCase())) {
      skip(`provider ${provider} not in providerFilter`);
      continue;
    }
    if (!outputs.includes('TEXT')) {
      skip(`output is ${outputs.join('/') || 'unknown'}, not TEXT`);
      continue;
    }
    if (m.responseStreamingSupported !== true) {
      skip('no response streaming');
      continue;
    }
    if (!keptLifecycles.includes(lifecycle)) {
      skip(`lifecycle ${lifecycle}`);
      continue;
    }
    const onDemand = types.includes('ON_DEMAND');
    if (!onDemand && profiles.length === 0) {
      skip(
        types.includes('INFERENCE_PROFILE')
          ? `runs only through an inference profile, and none is listed for ${opts.region}`
          : 'provisioned throughput only',
      );
      continue;
    }

    const known = lookupKnownLimits(id);
    const base: CatalogEntry = {
      id,
      name,
      provider,
      contextWindow: known?.contextWindow ?? opts.defaultContextWindow,
      maxTokens: known?.maxTokens ?? opts.defaultMaxTokens,
      reasoning: known?.reasoning ?? false,
      input: withDocumentInput(inputModalities(m.inputModalities), id),
      limitsKnown: known !== undefined,
      available: true,
      source: 'discovered',
      baseModelId: id,
      supportsPromptCache: known?.supportsPromptCache ?? false,
      streaming: true,
      lifecycle,
    };
    if (onDemand) add(base);
    for (const p of profiles) {
      add({ ...base, id: p.id, name: p.name, profile: p });
    }
  }
  return { entries, filtered };
}

type Profile = NonNullable<CatalogEntry['profile']>;

function indexProfiles(profiles: readonly RawInferenceProfile[], geographies: Set<string>): Map<string, Profile[]> {
  const byModel = new Map<string, Profile[]>();
  for (const p of profiles) {
    const id = p.inferenceProfileId;
    if (typeof id !== 'string' || id === '' || id.length > 256) continue;
    if (p.status !== undefined && p.status !== 'ACTIVE') continue;
    if (p.type !== undefined && p.type !== 'SYSTEM_DEFINED') continue;
    const geography = profileGeography(id);
    if (geography === undefined || !geographies.has(geography)) continue;
    const profile: Profile = {
      id,
      arn: typeof p.inferenceProfileArn === 'string' ? p.inferenceProfileArn : '',
      name: typeof p.inferenceProfileName === 'string' ? p.inferenceProfileName : id,
      geography,
    };
    const bases = new Set<string>();
    for (const m of Array.isArray(p.models) ? p.models : []) {
      const base = typeof m?.modelArn === 'string' ? /:foundation-model\/(.+)$/.exec(m.modelArn)?.[1] : undefined;
      if (base !== undefined) bases.add(base);
    }
    for (const base of bases) byModel.set(base, [...(byModel.get(base) ?? []), profile]);
  }
  return byModel;
}

function stringList(v: readonly string[] | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function inputModalities(v: readonly string[] | undefined): ModelInput[] {
  const out = new Set<ModelInput>();
  for (const m of stringList(v)) {
    const mapped = Object.hasOwn(modalityMap, m) ? modalityMap[m] : undefined;
    if (mapped) out.add(mapped);
  }
  if (out.size === 0) out.add('text');
  return [...out];
}
