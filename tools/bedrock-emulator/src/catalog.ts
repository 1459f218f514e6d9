import { readFileSync } from 'node:fs';
import { EmulatorOptionsError } from './emulator-options-error.ts';

/** A `FoundationModelSummary` as sent on the wire (extra members pass through). */
export interface ModelSummary {
  modelId: string;
  modelArn: string;
  modelName?: string;
  providerName: string;
  inputModalities: string[];
  outputModalities: string[];
  responseStreamingSupported?: boolean;
  customizationsSupported: string[];
  inferenceTypesSupported: string[];
  modelLifecycle?: { status: string };
  /**
   * Emulator-only, never sent on the wire (Bedrock does not report it): the model's largest output, which a
   * call without `maxTokens` reserves against its TPM quota. @defaultValue {@link defaultMaxOutputTokens}
   */
  maxOutputTokens?: number;
  [extra: string]: unknown;
}

/** An `InferenceProfileSummary` as sent on the wire. */
export interface ProfileSummary {
  inferenceProfileId: string;
  inferenceProfileArn: string;
  inferenceProfileName?: string;
  models: { modelArn: string }[];
  type: string;
  status: string;
  [extra: string]: unknown;
}

export interface Catalog {
  models: ModelSummary[];
  profiles: ProfileSummary[];
}

/** Max output of a catalog model that does not say (OpenClaw's `defaultMaxTokens`). */
export const defaultMaxOutputTokens = 4096;

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

/** The built-in catalog: 21 foundation models and 11 inference profiles as us-east-1 lists them. */
export function defaultCatalog(): Catalog {
  const m = fixture('foundation-models.json') as { modelSummaries: unknown };
  const p = fixture('inference-profiles.json') as { inferenceProfileSummaries: unknown };
  return parseCatalog({ modelSummaries: m.modelSummaries, inferenceProfileSummaries: p.inferenceProfileSummaries }, 'built-in fixture');
}

/** Reads a catalog file `{ modelSummaries, inferenceProfileSummaries }`; errors name the file and the entry. */
export function loadCatalogFile(path: string): Catalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EmulatorOptionsError('catalogFile', `cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EmulatorOptionsError('catalogFile', `${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseCatalog(json, path);
}

/** Validates the shape of a catalog document; the error names the failing path. */
export function parseCatalog(json: unknown, source: string): Catalog {
  const bad = (path: string, msg: string): never => {
    throw new EmulatorOptionsError('catalogFile', `${source}: ${path} ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    bad('(root)', 'must be an object { modelSummaries, inferenceProfileSummaries }');
  const doc = json as Record<string, unknown>;
  const models = doc['modelSummaries'] ?? [];
  const profiles = doc['inferenceProfileSummaries'] ?? [];
  if (!Array.isArray(models)) bad('modelSummaries', 'must be an array');
  if (!Array.isArray(profiles)) bad('inferenceProfileSummaries', 'must be an array');
  const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const strArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const outModels = (models as unknown[]).map((raw, i): ModelSummary => {
    const at = `modelSummaries[${i}]`;
    if (typeof raw !== 'object' || raw === null) return bad(at, 'must be an object');
    const m = { ...(raw as Record<string, unknown>) };
    if (!isStr(m['modelId'])) bad(`${at}.modelId`, 'must be a non-empty string');
    if (!isStr(m['providerName'])) bad(`${at}.providerName`, 'must be a non-empty string');
    m['modelArn'] ??= `arn:aws:bedrock:us-east-1::foundation-model/${String(m['modelId'])}`;
    const max = m['maxOutputTokens'];
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10_000_000))
      bad(`${at}.maxOutputTokens`, 'must be an integer in 1..10000000');
    for (const k of ['inputModalities', 'outputModalities', 'customizationsSupported', 'inferenceTypesSupported']) {
      m[k] ??= [];
      if (!strArr(m[k])) bad(`${at}.${k}`, 'must be an array of strings');
    }
    return m as ModelSummary;
  });
  const outProfiles = (profiles as unknown[]).map((raw, i): ProfileSummary => {
    const at = `inferenceProfileSummaries[${i}]`;
    if (typeof raw !== 'object' || raw === null) return bad(at, 'must be an object');
    const p = { ...(raw as Record<string, unknown>) };
    if (!isStr(p['inferenceProfileId'])) bad(`${at}.inferenceProfileId`, 'must be a non-empty string');
    p['inferenceProfileArn'] ??= `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${String(p['inferenceProfileId'])}`;
    p['type'] ??= 'SYSTEM_DEFINED';
    p['status'] ??= 'ACTIVE';
    const ms = p['models'];
    if (
      !Array.isArray(ms) ||
      ms.length === 0 ||
      !ms.every((x) => typeof x === 'object' && x !== null && isStr((x as Record<string, unknown>)['modelArn']))
    ) {
      bad(`${at}.models`, 'must be a non-empty array of { modelArn }');
    }
    return p as ProfileSummary;
  });
  return { models: outModels, profiles: outProfiles };
}

/** The max output a call to `model` reserves when it sets no `maxTokens`. */
export function maxOutputTokensOf(model: ModelSummary): number {
  return model.maxOutputTokens ?? defaultMaxOutputTokens;
}

/** The summary as Bedrock sends it: without the emulator-only members. */
export function wireModelSummary(model: ModelSummary): ModelSummary {
  const { maxOutputTokens: _maxOutputTokens, ...wire } = model;
  return wire;
}
