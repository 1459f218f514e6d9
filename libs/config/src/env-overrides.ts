/** One environment variable that overrides a config key. */
export interface EnvOverride {
  envVar: string;
  /** The key it sets. */
  path: readonly string[];
  /** Turns the variable's text into the value to validate (validation then applies as for file values). */
  parse: (raw: string) => unknown;
}

const asString = (raw: string): unknown => raw;
/** Digits become a number; anything else stays a string, so validation names the variable and its bad value. */
const asInteger = (raw: string): unknown => (/^\s*\d{1,15}\s*$/.test(raw) ? Number(raw) : raw);
const asList = (raw: string): unknown =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Every environment override, in the order applied (a later one wins on the same key, so
 * `TURNPOOL_REDIS_URL` beats `REDIS_URL`). Environment values win over the file. An empty
 * variable counts as unset.
 */
export const envOverrides: readonly EnvOverride[] = [
  { envVar: 'REDIS_URL', path: ['redis', 'url'], parse: asString },
  { envVar: 'TURNPOOL_REDIS_URL', path: ['redis', 'url'], parse: asString },
  { envVar: 'TURNPOOL_KEY_PREFIX', path: ['redis', 'keyPrefix'], parse: asString },
  { envVar: 'TURNPOOL_DISPATCHER_HOST', path: ['dispatcher', 'host'], parse: asString },
  { envVar: 'TURNPOOL_DISPATCHER_PORT', path: ['dispatcher', 'port'], parse: asInteger },
  { envVar: 'TURNPOOL_API_KEYS', path: ['dispatcher', 'apiKeys'], parse: asList },
  { envVar: 'TURNPOOL_READONLY_API_KEYS', path: ['dispatcher', 'readOnlyApiKeys'], parse: asList },
  { envVar: 'TURNPOOL_BEDROCK_ENDPOINT', path: ['models', 'providers', 'amazon-bedrock', 'baseUrl'], parse: asString },
  { envVar: 'TURNPOOL_DEFAULT_MODEL', path: ['agents', 'defaults', 'model', 'primary'], parse: asString },
  { envVar: 'TURNPOOL_SHUTDOWN_GRACE_MS', path: ['shutdown', 'graceMs'], parse: asInteger },
];
