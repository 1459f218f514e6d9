import type { Catalog } from './catalog.ts';
import { describeValue as describe } from './describe-value.ts';
import { EmulatorOptionsError } from './emulator-options-error.ts';
import type { ModelQuota } from './model-quota.ts';
import { modelIdPattern } from './resolve-model.ts';

const limitKeys = ['rpm', 'tpm', 'tpd'] as const;
const quotaKeys: readonly string[] = [...limitKeys, 'burndown'];
const MAX_LIMIT = 1e12;

const fail = (field: string, msg: string): never => {
  throw new EmulatorOptionsError(field, msg);
};
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a quota table `{ "<model or profile id>": { rpm?, tpm?, tpd?, burndown? } }` and returns a frozen
 * copy. Errors name the entry, e.g. `quotas["us.amazon.nova-pro-v1:0"].rpm`.
 */
export function validateQuotas(v: unknown, field: string): Record<string, ModelQuota> {
  if (!isObj(v)) return fail(field, `expected an object { "<model or profile id>": { rpm, tpm, tpd, burndown } }, got ${describe(v)}`);
  const entries = Object.entries(v);
  if (entries.length > 10_000) fail(field, `expected at most 10000 entries, got ${entries.length}`);
  const out: Record<string, ModelQuota> = {};
  for (const [id, raw] of entries) {
    const at = `${field}[${JSON.stringify(id.slice(0, 300))}]`;
    if (!modelIdPattern.test(id)) fail(at, 'expected a model id or inference profile id (not an ARN)');
    if (!isObj(raw)) return fail(at, `expected an object { rpm, tpm, tpd, burndown }, got ${describe(raw)}`);
    const quota: ModelQuota = {};
    for (const [k, x] of Object.entries(raw)) {
      if (!quotaKeys.includes(k)) fail(`${at}.${k}`, `unknown quota; allowed: ${quotaKeys.join(', ')}`);
      if (x === undefined) continue;
      if (k === 'burndown') {
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 1 || x > 100)
          fail(`${at}.${k}`, `expected a number in 1..100, got ${describe(x)}`);
      } else if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > MAX_LIMIT) {
        fail(`${at}.${k}`, `expected an integer in 0..${MAX_LIMIT}, got ${describe(x)}`);
      }
      quota[k as keyof ModelQuota] = x as number;
    }
    if (limitKeys.every((k) => quota[k] === undefined)) fail(at, 'expected at least one of rpm, tpm, tpd');
    out[id] = Object.freeze(quota);
  }
  return Object.freeze(out);
}

/** Every quota key must be a model id or an inference profile id of the catalog (a typo would never throttle). */
export function checkQuotaKeys(quotas: Readonly<Record<string, ModelQuota>>, catalog: Catalog): void {
  const ids = new Set([...catalog.models.map((m) => m.modelId), ...catalog.profiles.map((p) => p.inferenceProfileId)]);
  for (const id of Object.keys(quotas)) {
    if (!ids.has(id))
      fail(`quotas[${JSON.stringify(id)}]`, `${JSON.stringify(id)} is not a model id or inference profile id of the catalog`);
  }
}
