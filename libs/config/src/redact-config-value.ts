import { isSecretKeyPath } from './render-value.ts';

/**
 * A copy of a config value safe to print: values under secret-like keys (apiKeys, password,
 * token, secret) become `"***"`, and `user:password@` in URLs becomes `***@`. `path` is where
 * `value` sits in the config, so `redactConfigValue(keys, ['dispatcher', 'apiKeys'])` masks too.
 */
export function redactConfigValue(value: unknown, path: readonly PropertyKey[] = []): unknown {
  if (isSecretKeyPath(path)) {
    return Array.isArray(value) ? value.map(() => '***') : value === undefined ? undefined : '***';
  }
  if (typeof value === 'string') return value.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
  if (Array.isArray(value)) return value.map((v, i) => redactConfigValue(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfigValue(v, [...path, k])]));
  }
  return value;
}
