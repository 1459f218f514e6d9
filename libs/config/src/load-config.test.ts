import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'turnpool-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = join(dir, 'turnpool.json5');
  await writeFile(file, text);
  return loadConfig({ configPath: file, env, cwd: dir, homeDir: dir });
}

async function loadError(text: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  const err = await load(text, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

// Verbatim from the OpenClaw "Amazon Bedrock" provider page (see docs/configuration.md).
const seedDiscovery = `{ models: { bedrockDiscovery: {
    enabled: true, region: "us-east-1", providerFilter: ["anthropic", "amazon"],
    refreshInterval: 3600, defaultContextWindow: 32000, defaultMaxTokens: 4096 } } }`;
const seedProvider = `{ models: { providers: { "amazon-bedrock": {
    baseUrl: "https://bedrock-runtime.us-east-1.amazonaws.com",
    api: "bedrock-converse-stream", auth: "aws-sdk",
    models: [{ id: "anthropic.claude-opus-4-5-20251101-v1:0", name: "Claude Opus 4.5 (Bedrock)",
               reasoning: true, input: ["text", "image"],
               cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
               contextWindow: 200000, maxTokens: 8192 }] } } },
  agents: { defaults: { model: { primary: "amazon-bedrock/anthropic.claude-opus-4-5-20251101-v1:0" } } } }`;

describe('loadConfig: the OpenClaw keys as written', () => {
  it('loads the discovery example', async () => {
    const { config, path } = await load(seedDiscovery);
    expect(path).toBe(join(dir, 'turnpool.json5'));
    expect(config.models.bedrockDiscovery).toEqual({
      enabled: true,
      region: 'us-east-1',
      providerFilter: ['anthropic', 'amazon'],
      refreshInterval: 3600,
      defaultContextWindow: 32000,
      defaultMaxTokens: 4096,
    });
  });

  it('loads the manual provider example', async () => {
    const { config } = await load(seedProvider);
    expect(config.models.providers['amazon-bedrock']).toEqual({
      baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      api: 'bedrock-converse-stream',
      auth: 'aws-sdk',
      models: [
        {
          id: 'anthropic.claude-opus-4-5-20251101-v1:0',
          name: 'Claude Opus 4.5 (Bedrock)',
          reasoning: true,
          input: ['text', 'image'],
          cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
          contextWindow: 200000,
          maxTokens: 8192,
        },
      ],
    });
    expect(config.agents.defaults.model.primary).toBe('amazon-bedrock/anthropic.claude-opus-4-5-20251101-v1:0');
  });

  it('accepts plugins.entries["amazon-bedrock"].config.discovery as an alias', async () => {
    const { config, warnings } = await load(
      `{ plugins: { entries: { "amazon-bedrock": { enabled: true, config: { discovery: { enabled: false, region: "eu-west-1", refreshInterval: 0 } } } } } }`,
    );
    expect(config.models.bedrockDiscovery).toEqual({
      enabled: false,
      region: 'eu-west-1',
      refreshInterval: 0,
      defaultContextWindow: 32000,
      defaultMaxTokens: 4096,
    });
    expect(warnings).toEqual([]);
  });

  it('when both spellings set a key differently, models.bedrockDiscovery wins and a warning says so', async () => {
    const logged: string[] = [];
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn(_o: object, msg?: string) {
        logged.push(msg ?? '');
      },
    };
    const file = join(dir, 'both.json5');
    await writeFile(
      file,
      `{
      models: { bedrockDiscovery: { region: "us-east-1", enabled: true } },
      plugins: { entries: { "amazon-bedrock": { config: { discovery: { region: "eu-west-1", enabled: true, providerFilter: ["amazon"] } } } } },
    }`,
    );
    const { config, warnings } = await loadConfig({ configPath: file, env: {}, logger });
    expect(config.models.bedrockDiscovery.region).toBe('us-east-1');
    expect(config.models.bedrockDiscovery.providerFilter).toEqual(['amazon']);
    expect(warnings).toEqual([
      'models.bedrockDiscovery.region ("us-east-1") wins over plugins.entries["amazon-bedrock"].config.discovery.region ("eu-west-1")',
    ]);
    expect(logged).toEqual(warnings);
  });
});

describe('loadConfig: errors name the key, the value, what is allowed, the file and the line', () => {
  it('wrong type', async () => {
    const err = await loadError(`// my config
{
  models: {
    bedrockDiscovery: {
      enabled: true,
      refreshInterval: "hourly",
    },
  },
}`);
    expect(err.code).toBe('config_invalid');
    expect(err.keyPath).toBe('models.bedrockDiscovery.refreshInterval');
    expect(err.line).toBe(6);
    expect(err.value).toBe('"hourly"');
    expect(err.allowed).toContain('an integer from 0');
    expect(err.file).toBe(join(dir, 'turnpool.json5'));
    expect(err.message).toBe(
      `${join(dir, 'turnpool.json5')}:6: models.bedrockDiscovery.refreshInterval: expected number, got "hourly" (allowed: seconds (0 disables the cache), an integer from 0 to 31536000)`,
    );
  });

  it('unknown api', async () => {
    const err = await loadError(`{
  models: {
    providers: {
      'amazon-bedrock': {
        baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
        api: 'openai-completions',
      },
    },
  },
}`);
    expect(err.keyPath).toBe('models.providers.amazon-bedrock.api');
    expect(err.line).toBe(6);
    expect(err.allowed).toBe('"bedrock-converse-stream"');
    expect(err.message).toContain('"openai-completions" is not allowed');
  });

  it('broken JSON5: config_parse with the parser line and column', async () => {
    const err = await loadError(`{
  models: {
    bedrockDiscovery: { enabled: true region: "x" },
  },
}`);
    expect(err.code).toBe('config_parse');
    expect(err.line).toBe(3);
    expect(err.problems[0]?.column).toBe(39);
    expect(err.message).toContain(':3:39: not valid JSON5');
    expect(err.message).toContain('not valid JSON5');
  });

  it('a key given twice is reported at its last occurrence (the one JSON5 keeps)', async () => {
    const err = await loadError(`{
  queue: { attempts: 2 },
  queue: { attempts: 0 },
}`);
    expect(err.keyPath).toBe('queue.attempts');
    expect(err.line).toBe(3);
  });

  it('a missing required key points at its parent line', async () => {
    const err = await loadError(`{
  models: { providers: { "amazon-bedrock": {
    models: [
      { name: "no id" },
    ] } } },
}`);
    expect(err.keyPath).toBe('models.providers.amazon-bedrock.models[0].id');
    expect(err.line).toBe(4);
    expect(err.message).toContain('is required');
  });

  it('a file that is not an object', async () => {
    const err = await loadError('[1, 2]');
    expect(err.code).toBe('config_invalid');
    expect(err.message).toContain('one JSON5 object');
  });

  it('an empty file means all defaults', async () => {
    const { config } = await load('  \n');
    expect(config.dispatcher.port).toBe(8787);
  });

  it('an oversized file is refused', async () => {
    const err = await loadError(`{ a: "${'x'.repeat(1024 * 1024)}" }`);
    expect(err.code).toBe('config_parse');
    expect(err.message).toContain('larger than');
  });

  it('deeply nested values fail cleanly', async () => {
    const n = 100_000;
    const err = await loadError(`{ redis: ${'['.repeat(n)}${']'.repeat(n)} }`);
    expect(err.keyPath).toBe('redis');
    expect(err.line).toBeUndefined();
  });

  it('long values are shortened in the error', async () => {
    const err = await loadError(`{ queue: { name: "${'y'.repeat(500)}" } }`);
    expect(err.value?.length).toBeLessThanOrEqual(80);
  });

  it('masks secrets in values: passwords in URLs and api keys', async () => {
    const err = await loadError(
      `{ redis: { url: "http://admin:hunter2@localhost:6379" }, dispatcher: { apiKeys: ["ok-key", "bad key with spaces"] } }`,
    );
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('bad key with spaces');
    expect(err.problems.find((p) => p.keyPath === 'redis.url')?.value).toBe('"http://***@localhost:6379"');
    expect(err.problems.find((p) => p.keyPath === 'dispatcher.apiKeys[1]')?.value).toBe('"***"');
  });

  it('__proto__ keys are unknown keys, and nothing is polluted', async () => {
    const err = await loadError(
      `{ __proto__: { polluted: true }, redis: { __proto__: { polluted: true } }, models: { __proto__: { polluted: true } } }`,
    );
    expect(err.problems.map((p) => p.keyPath).sort()).toEqual(['__proto__', 'redis.__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('loadConfig: environment overrides', () => {
  it('no file: every default, path null', async () => {
    const r = await loadConfig({ env: {}, cwd: dir, homeDir: dir });
    expect(r.path).toBeNull();
    expect(r.from).toBe('defaults');
    expect(r.config.queue.name).toBe('turns');
  });

  const cases: [string, string, (c: Awaited<ReturnType<typeof loadConfig>>['config']) => unknown, unknown][] = [
    ['REDIS_URL', 'redis://a:6379', (c) => c.redis.url, 'redis://a:6379'],
    ['TURNPOOL_REDIS_URL', 'rediss://b:6380/2', (c) => c.redis.url, 'rediss://b:6380/2'],
    ['TURNPOOL_KEY_PREFIX', 'tp-test', (c) => c.redis.keyPrefix, 'tp-test'],
    ['TURNPOOL_DISPATCHER_HOST', '0.0.0.0', (c) => c.dispatcher.host, '0.0.0.0'],
    ['TURNPOOL_DISPATCHER_PORT', '9999', (c) => c.dispatcher.port, 9999],
    ['TURNPOOL_API_KEYS', ' k1, k2 ,,k3 ', (c) => c.dispatcher.apiKeys, ['k1', 'k2', 'k3']],
    ['TURNPOOL_READONLY_API_KEYS', 'r1,r2', (c) => c.dispatcher.readOnlyApiKeys, ['r1', 'r2']],
    ['TURNPOOL_BEDROCK_ENDPOINT', 'http://127.0.0.1:8788', (c) => c.models.providers['amazon-bedrock']?.baseUrl, 'http://127.0.0.1:8788'],
    [
      'TURNPOOL_DEFAULT_MODEL',
      'amazon-bedrock/amazon.nova-lite-v1:0',
      (c) => c.agents.defaults.model.primary,
      'amazon-bedrock/amazon.nova-lite-v1:0',
    ],
    ['TURNPOOL_SHUTDOWN_GRACE_MS', '5000', (c) => c.shutdown.graceMs, 5000],
  ];
  it.each(cases)('%s overrides the file', async (name, value, pick, expected) => {
    const { config } = await load(
      `{ redis: { url: "redis://file:1" }, dispatcher: { port: 1, host: "h", apiKeys: ["f"] }, agents: { defaults: { model: { primary: "amazon-bedrock/file" } } } }`,
      { [name]: value },
    );
    expect(pick(config)).toEqual(expected);
  });

  it('TURNPOOL_REDIS_URL wins over REDIS_URL', async () => {
    const { config } = await load('{}', { REDIS_URL: 'redis://a:1', TURNPOOL_REDIS_URL: 'redis://b:2' });
    expect(config.redis.url).toBe('redis://b:2');
  });

  it('an empty variable counts as unset', async () => {
    const { config } = await load('{ dispatcher: { port: 1234 } }', { TURNPOOL_DISPATCHER_PORT: '' });
    expect(config.dispatcher.port).toBe(1234);
  });

  it('TURNPOOL_BEDROCK_ENDPOINT keeps the configured models', async () => {
    const { config } = await load(seedProvider, { TURNPOOL_BEDROCK_ENDPOINT: 'http://127.0.0.1:8788' });
    expect(config.models.providers['amazon-bedrock']?.baseUrl).toBe('http://127.0.0.1:8788');
    expect(config.models.providers['amazon-bedrock']?.models).toHaveLength(1);
  });

  it('an invalid env value is validated and the error names the variable', async () => {
    const err = await loadError('{}', {
      TURNPOOL_DISPATCHER_PORT: 'eighty',
      REDIS_URL: 'http://u:topsecret@x',
      TURNPOOL_DEFAULT_MODEL: 'gpt-4',
    });
    const byVar = Object.fromEntries(err.problems.map((p) => [p.envVar, p]));
    expect(byVar['TURNPOOL_DISPATCHER_PORT']?.keyPath).toBe('dispatcher.port');
    expect(byVar['TURNPOOL_DISPATCHER_PORT']?.value).toBe('"eighty"');
    expect(byVar['TURNPOOL_DISPATCHER_PORT']?.line).toBeUndefined();
    expect(byVar['REDIS_URL']?.keyPath).toBe('redis.url');
    expect(byVar['TURNPOOL_DEFAULT_MODEL']?.allowed).toContain('amazon-bedrock/');
    expect(err.message).toContain('env TURNPOOL_DISPATCHER_PORT: dispatcher.port: expected number');
    expect(err.message).not.toContain('topsecret');
  });

  it('an invalid TURNPOOL_API_KEYS entry is masked', async () => {
    const err = await loadError('{}', { TURNPOOL_API_KEYS: `good,${'s'.repeat(600)}` });
    expect(err.keyPath).toBe('dispatcher.apiKeys[1]');
    expect(err.problems[0]?.envVar).toBe('TURNPOOL_API_KEYS');
    expect(err.value).toBe('"***"');
  });

  it('an override does not hide a file error on its way (redis: 5)', async () => {
    const err = await loadError('{\n  redis: 5,\n}', { REDIS_URL: 'redis://x:1' });
    expect(err.keyPath).toBe('redis');
    expect(err.line).toBe(2);
  });
});

describe('loadConfig: the result', () => {
  it('is deep-frozen', async () => {
    const loaded = await load(seedProvider);
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.config.models.providers['amazon-bedrock']?.models[0]?.cost)).toBe(true);
    expect(() => {
      (loaded.config.dispatcher as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      loaded.config.dispatcher.apiKeys.push('x');
    }).toThrow(TypeError);
  });
});
