import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { formatKeyPath } from './format-key-path.ts';
import { getValueAtPath } from './get-value-at-path.ts';
import { loadConfig } from './load-config.ts';
import { parseCliValue } from './parse-cli-value.ts';
import { parseConfigText } from './parse-config-text.ts';
import { parseKeyPath } from './parse-key-path.ts';
import { setConfigValue } from './set-config-value.ts';
import { setJson5Value } from './set-json5-value.ts';

const knownKeys = [
  'models',
  'bedrockDiscovery',
  'providers',
  'amazon-bedrock',
  'agents',
  'defaults',
  'model',
  'primary',
  'plugins',
  'entries',
  'config',
  'discovery',
  'redis',
  'url',
  'queue',
  'pool',
  'dispatcher',
  'apiKeys',
  'port',
  'timeouts',
  'enabled',
  'region',
  'refreshInterval',
  'api',
  'auth',
  'apiKey',
  'id',
  '__proto__',
  'constructor',
];

/** Values shaped like config: known keys at random depths, random leaves. */
const configish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom(Infinity, -Infinity, NaN, -0, 'redis://u:p@h:1', 'http://x', 'amazon-bedrock/x'),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 6 })), tie('node'), { maxKeys: 4 }),
  ),
})).node;

const tokenSoup = fc
  .array(
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ':',
      ',',
      '"',
      "'",
      '//',
      '/*',
      '*/',
      '\n',
      '\r\n',
      ' ',
      '\\',
      'models',
      'redis',
      '__proto__',
      'true',
      'null',
      'Infinity',
      'NaN',
      '-',
      '+',
      '.5',
      '0x1F',
      '1e400',
      'a',
      '\u2028',
      '\ufeff',
    ),
    { maxLength: 40 },
  )
  .map((t) => t.join(''));

const json5ish = fc.oneof(
  fc.string({ maxLength: 60 }),
  tokenSoup,
  configish.map((v) => JSON5.stringify(v, null, 2) ?? ''),
  configish.map((v) => `// c\n${JSON5.stringify({ models: v, redis: v }, null, '\t') ?? ''}`),
);

const envish = fc.dictionary(
  fc.constantFrom(
    'REDIS_URL',
    'TURNPOOL_REDIS_URL',
    'TURNPOOL_DISPATCHER_PORT',
    'TURNPOOL_DISPATCHER_HOST',
    'TURNPOOL_API_KEYS',
    'TURNPOOL_KEY_PREFIX',
    'TURNPOOL_BEDROCK_ENDPOINT',
    'TURNPOOL_DEFAULT_MODEL',
  ),
  fc.string({ maxLength: 20 }),
  { maxKeys: 3 },
);

function throwsOnlyConfigError(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    expect(err.problems.length).toBeGreaterThan(0);
  }
}

describe('property: the loader throws nothing but ConfigError', () => {
  it('on random JSON5-ish text and environment', () => {
    fc.assert(
      fc.property(json5ish, envish, (text, env) => {
        throwsOnlyConfigError(() => parseConfigText(text, { file: 'x.json5', env }));
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 1500 },
    );
  });

  it('through loadConfig and real files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'turnpool-prop-'));
    try {
      await fc.assert(
        fc.asyncProperty(json5ish, envish, async (text, env) => {
          const file = join(dir, 'c.json5');
          await writeFile(file, text);
          await loadConfig({ configPath: file, env }).catch((err: unknown) => {
            if (!(err instanceof ConfigError)) throw err;
          });
        }),
        { numRuns: 100 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const segment = fc
  .oneof(
    fc.constantFrom('models', 'amazon-bedrock', 'anthropic.claude-3:0', 'a b', 'q"x', "it's", 'x\\y', '$id', 'ü'),
    fc.string({ minLength: 1, maxLength: 8 }),
  )
  .filter((s) => !['__proto__', 'constructor', 'prototype'].includes(s));

const startDoc = fc.oneof(
  fc.constant(''),
  fc.constant('// only a comment\n'),
  fc.constant('{\n  // keep\n  models: { bedrockDiscovery: { enabled: true } }, // tail\n}\n'),
  configish.filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)).map((v) => JSON5.stringify(v, null, 2) ?? '{}'),
  configish.filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v)).map((v) => JSON.stringify(v) ?? '{}'),
);

describe('property: set then get round-trips', () => {
  it('setJson5Value puts exactly the value at the path and changes nothing else', () => {
    fc.assert(
      fc.property(startDoc, fc.array(segment, { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), (doc, segments, value) => {
        const out = setJson5Value(doc, segments, value);
        const parsed: unknown = JSON5.parse(out);
        const got = getValueAtPath(parsed, segments);
        expect(got.found).toBe(true);
        expect(got.found && got.value).toEqual(value);
        // Setting it again changes nothing but (at most) the value's own layout.
        expect(JSON5.parse(setJson5Value(out, segments, value))).toEqual(parsed);
      }),
      { numRuns: 1000 },
    );
  });

  it('key paths survive formatKeyPath -> parseKeyPath', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            segment.filter((s) => !/\p{Cc}/u.test(s)),
            fc.nat(99),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (segments) => {
          expect(parseKeyPath(formatKeyPath(segments))).toEqual(segments);
        },
      ),
    );
  });

  it('CLI values: any JSON value written as JSON reads back the same', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseCliValue(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('setConfigValue + loadConfig round-trip valid values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'turnpool-prop-set-'));
    try {
      const cases = fc.oneof(
        fc.record({ key: fc.constant('dispatcher.port'), value: fc.integer({ min: 0, max: 65535 }) }),
        fc.record({
          key: fc.constant('models.bedrockDiscovery.providerFilter'),
          value: fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 4 }),
        }),
        fc.record({
          key: fc.constant('models.providers["amazon-bedrock"].baseUrl'),
          value: fc.webUrl({ validSchemes: ['http', 'https'] }),
        }),
        fc.record({ key: fc.constant('timeouts.idleMs'), value: fc.integer({ min: 1000, max: 600_000 }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(cases, { minLength: 1, maxLength: 4 }), async (steps) => {
          const opts = { env: {}, cwd: dir, homeDir: dir };
          await rm(join(dir, 'turnpool.json5'), { force: true });
          for (const { key, value } of steps) await setConfigValue({ ...opts, keyPath: key, value });
          const { config } = await loadConfig(opts);
          const last = new Map(steps.map((s) => [s.key, s.value]));
          for (const [key, value] of last) expect(getValueAtPath(config, parseKeyPath(key))).toEqual({ found: true, value });
        }),
        { numRuns: 40 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
