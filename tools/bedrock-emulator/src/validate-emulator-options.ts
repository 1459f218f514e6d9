import { EmulatorOptionsError } from './emulator-options-error.ts';
import type { EmulatorOptions } from './emulator-options.ts';
import { describeValue as describe } from './describe-value.ts';
import { isFaultKind, faultKinds } from './fault-kinds.ts';
import { validateQuotas } from './validate-quotas.ts';

/** Keys a runtime patch (`configure()`, POST /_emulator/config) may change. */
export const patchableKeys = [
  'ttftMs',
  'tokensPerSecond',
  'tokensPerChunk',
  'padding',
  'faultRate',
  'faultKinds',
  'stallMs',
  'seed',
  'catalogFile',
  'disabledModels',
  'requireAuth',
  'unknownModelError',
  'maxBodyBytes',
  'quotas',
] as const;
const startOnlyKeys = ['port', 'host', 'tls', 'logger', 'now'] as const;

/** Throws naming the key, or returns nothing (the value is copied as is) or the normalized copy to keep. */
type Rule = (v: unknown, key: string) => unknown;

const fail = (key: string, msg: string): never => {
  throw new EmulatorOptionsError(key, msg);
};
const int =
  (min: number, max: number): Rule =>
  (v, k) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(k, `expected an integer in ${min}..${max}, got ${describe(v)}`);
  };
const num =
  (min: number, max: number): Rule =>
  (v, k) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      fail(k, `expected a number in ${min}..${max}, got ${describe(v)}`);
  };
const bool: Rule = (v, k) => {
  if (typeof v !== 'boolean') fail(k, `expected true or false, got ${describe(v)}`);
};
const str: Rule = (v, k) => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096) fail(k, `expected a non-empty string, got ${describe(v)}`);
};
const strList: Rule = (v, k) => {
  if (!Array.isArray(v) || v.length > 10_000) fail(k, `expected an array of strings, got ${describe(v)}`);
  (v as unknown[]).forEach((s, i) => {
    if (typeof s !== 'string' || s.length > 2048) fail(`${k}[${i}]`, `expected a string, got ${describe(s)}`);
  });
};

const rules: Record<string, Rule> = {
  port: int(0, 65535),
  host: str,
  tls: bool,
  ttftMs: int(0, 600_000),
  tokensPerSecond: num(0, 1_000_000),
  tokensPerChunk: int(1, 10_000),
  padding: bool,
  faultRate: num(0, 1),
  faultKinds: (v, k) => {
    strList(v, k);
    (v as unknown[]).forEach((s, i) => {
      if (!isFaultKind(s)) fail(`${k}[${i}]`, `unknown fault kind ${describe(s)}; allowed: ${faultKinds.join(', ')}`);
    });
  },
  stallMs: int(0, 3_600_000),
  seed: int(0, 2 ** 31 - 1),
  catalogFile: str,
  disabledModels: strList,
  requireAuth: bool,
  unknownModelError: (v, k) => {
    if (v !== 'ResourceNotFoundException' && v !== 'ValidationException')
      fail(k, `expected 'ResourceNotFoundException' or 'ValidationException', got ${describe(v)}`);
  },
  maxBodyBytes: int(1024, 1024 * 1024 * 1024),
  quotas: validateQuotas,
  now: (v, k) => {
    if (typeof v !== 'function') fail(k, `expected a function returning ms, got ${describe(v)}`);
  },
  logger: (v, k) => {
    if (typeof v !== 'object' || v === null) fail(k, 'expected a pino-compatible logger');
    for (const m of ['debug', 'info', 'warn', 'error']) {
      if (typeof (v as Record<string, unknown>)[m] !== 'function') fail(`${k}.${m}`, 'expected a function');
    }
  },
};

/**
 * Checks options (`mode: 'start'`) or a runtime patch (`mode: 'patch'`, which may not change port/host/logger).
 * Unknown keys, `__proto__` included, are rejected by name. Undefined values are skipped.
 */
export function validateEmulatorOptions(input: unknown, mode: 'start' | 'patch'): Partial<EmulatorOptions> {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('options', `expected an object, got ${describe(input)}`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input as object)) {
    const value = (input as Record<string, unknown>)[key];
    if (!Object.hasOwn(rules, key))
      fail(key, `unknown option; allowed: ${[...patchableKeys, ...(mode === 'start' ? startOnlyKeys : [])].join(', ')}`);
    if (mode === 'patch' && (startOnlyKeys as readonly string[]).includes(key)) fail(key, 'can only be set when the emulator starts');
    if (value === undefined) continue;
    const normalized = rules[key]?.(value, key);
    out[key] = normalized !== undefined ? normalized : Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return out as Partial<EmulatorOptions>;
}
