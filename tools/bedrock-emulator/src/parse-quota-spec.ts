import type { ModelQuota } from './model-quota.ts';

/** A bad `--quota` spec; the message quotes the spec and names the part. */
export class QuotaSpecError extends Error {
  override readonly name = 'QuotaSpecError';
}

const names: Record<string, keyof ModelQuota> = { rpm: 'rpm', tpm: 'tpm', tpd: 'tpd', burndown: 'burndown' };

/**
 * Parses `<model or profile id>=rpm:N,tpm:M[,tpd:T][,burndown:K]` (the CLI's `--quota`; any subset of the
 * limits, in any order) into `[id, quota]`. Ranges and the id itself are checked by the options validation.
 */
export function parseQuotaSpec(spec: string): [string, ModelQuota] {
  const bad = (msg: string): never => {
    throw new QuotaSpecError(`${JSON.stringify(spec.slice(0, 200))}: ${msg}`);
  };
  const eq = spec.indexOf('=');
  if (eq < 1) bad('expected <model or profile id>=rpm:N,tpm:M[,tpd:T][,burndown:K]');
  const id = spec.slice(0, eq).trim();
  const quota: ModelQuota = {};
  for (const part of spec.slice(eq + 1).split(',')) {
    const m = /^\s*([a-z]+)\s*:\s*(\S+)\s*$/.exec(part);
    if (m === null) return bad(`expected name:value, got ${JSON.stringify(part.slice(0, 60))}`);
    const [, name = '', raw = ''] = m;
    const key = Object.hasOwn(names, name) ? names[name] : undefined;
    if (key === undefined) return bad(`unknown quota ${JSON.stringify(name)}; allowed: rpm, tpm, tpd, burndown`);
    if (quota[key] !== undefined) bad(`${name} given twice`);
    const value = Number(raw);
    if (!Number.isFinite(value)) bad(`${name}: expected a number, got ${JSON.stringify(raw.slice(0, 40))}`);
    quota[key] = value;
  }
  return [id, quota];
}
