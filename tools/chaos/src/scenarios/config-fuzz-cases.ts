import fc from 'fast-check';

/** One hostile config: a file text and the environment beside it. */
export interface ConfigCase {
  text: string;
  env: Record<string, string>;
}

const sections = ['redis', 'queue', 'pool', 'dispatcher', 'timeouts', 'streams', 'retry', 'models', 'agents', 'emulator'];
const knownPaths: [string, string][] = [
  ['redis', 'url'],
  ['redis', 'keyPrefix'],
  ['queue', 'attempts'],
  ['queue', 'backoffMs'],
  ['queue', 'lockDurationMs'],
  ['pool', 'maxThreads'],
  ['pool', 'minThreads'],
  ['dispatcher', 'port'],
  ['dispatcher', 'apiKeys'],
  ['dispatcher', 'host'],
  ['timeouts', 'idleMs'],
  ['streams', 'ttlSeconds'],
];
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  'a'.repeat(500),
  '\u0000',
  '\uD800',
  'x.y',
  '[0]',
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    -1,
    1e308,
    -0,
    0.5,
    2 ** 53 + 1,
    '',
    ' ',
    'redis://user:pw@host:0',
    'javascript:alert(1)',
    '\uD800',
    'a'.repeat(100_000),
    [],
    {},
    null,
    true,
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const json5Literal = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

function nest(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Hostile config files and env overrides for the loader's parser, schema and overrides. */
export const configCase: fc.Arbitrary<ConfigCase> = fc.oneof(
  // A known key with a value of any type.
  fc
    .tuple(fc.constantFrom(...knownPaths), hostileValue)
    .map(([[s, k], v]) => ({ text: `{ ${s}: { ${k}: ${json5Literal(v)} } }`, env: {} })),
  // Hostile keys at the root and in sections.
  fc.tuple(fc.constantFrom('', ...sections), hostileKey, hostileValue).map(([s, k, v]) => ({
    text: s === '' ? `{ ${JSON.stringify(k)}: ${json5Literal(v)} }` : `{ ${s}: { ${JSON.stringify(k)}: ${json5Literal(v)} } }`,
    env: {},
  })),
  // Wrong shapes for whole sections.
  fc.tuple(fc.constantFrom(...sections), hostileValue).map(([s, v]) => ({ text: `{ ${s}: ${json5Literal(v)} }`, env: {} })),
  // Not an object, malformed JSON5, deep nesting, huge texts.
  fc
    .oneof(
      fc.constantFrom(
        '[]',
        '42',
        '"x"',
        'null',
        '{',
        '{ redis: { url: }',
        '{ a: 1,, }',
        "{ 'a': 1 ",
        '\uFEFF{}',
        '{ redis: { url: "x" } } trailing',
        '/* open comment',
      ),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.integer({ min: 10, max: 5000 }).map((d) => `{ agents: ${nest(d)} }`),
      fc.constant(`{ dispatcher: { host: "${'h'.repeat(2_000_000)}" } }`),
    )
    .map((text) => ({ text, env: {} })),
  // Environment overrides with garbage values (the file valid and empty).
  fc
    .tuple(
      fc.constantFrom(
        'TURNPOOL_DISPATCHER_PORT',
        'TURNPOOL_KEY_PREFIX',
        'TURNPOOL_REDIS_URL',
        'REDIS_URL',
        'TURNPOOL_API_KEYS',
        'TURNPOOL_BEDROCK_ENDPOINT',
        'TURNPOOL_DEFAULT_MODEL',
        'TURNPOOL_DISPATCHER_HOST',
      ),
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('eighty', '-1', '99999', '1e3', 'a{b}', ',,,', 'http://', 'amazon-bedrock/', 'x'.repeat(5000), ' , '),
      ),
    )
    .map(([k, v]) => ({ text: '{}', env: { [k]: v } })),
);
