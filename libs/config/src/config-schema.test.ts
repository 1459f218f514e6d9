import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { parseConfigText } from './parse-config-text.ts';

function parse(value: unknown) {
  return parseConfigText(JSON.stringify(value, null, 2), { file: 'turnpool.json5' }).config;
}

function problemsOf(value: unknown) {
  try {
    parse(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config schema: defaults', () => {
  it('fills every default for an empty file', () => {
    const c = parse({});
    expect(c.models.bedrockDiscovery).toEqual({ refreshInterval: 3600, defaultContextWindow: 32000, defaultMaxTokens: 4096 });
    expect(c.models.bedrockDiscovery.enabled).toBeUndefined();
    expect(c.models.providers['amazon-bedrock']).toBeUndefined();
    expect(c.redis).toEqual({ keyPrefix: 'turnpool' });
    expect(c.queue).toEqual({
      name: 'turns',
      attempts: 3,
      backoffMs: 1000,
      lockDurationMs: 5000,
      stalledIntervalMs: 2000,
      maxStalledCount: 2,
    });
    expect(c.pool.minThreads).toBe(1);
    expect(c.pool.maxThreads).toBeGreaterThanOrEqual(1);
    expect(c.pool.concurrentTasksPerWorker).toBe(64);
    expect(c.pool.maxTurnsPerHost).toBe(c.pool.maxThreads * 64);
    expect(c.dispatcher).toEqual({
      host: '127.0.0.1',
      port: 8787,
      apiKeys: [],
      readOnlyApiKeys: [],
      turnIndexMax: 100_000,
      bodyLimitBytes: 21 * 1024 * 1024,
      modelAliases: {},
    });
    expect(c.streams).toEqual({ ttlSeconds: 86_400, lingerMs: 2, writeRetryMs: 30_000 });
    expect(c.retry).toEqual({ afterOutput: false });
    expect(c.timeouts).toEqual({ firstChunkMs: 60_000, idleMs: 30_000, turnMs: 600_000 });
    expect(c.emulator).toEqual({ port: 8788 });
    expect(c.shutdown).toEqual({ graceMs: 30_000 });
    expect(c.bedrock).toEqual({
      quotas: {},
      admission: { enabled: true, maxWaitMs: 120_000, leaseTtlMs: 60_000 },
      connections: { sessionReuse: true, streamsPerSession: 32 },
    });
  });

  it('bedrock.quotas takes budgets by model id, profile id or model ref', () => {
    const c = parse({
      bedrock: {
        quotas: {
          'us.anthropic.claude-x-v1:0': { rpm: 300, tpm: 200_000, outputBurndown: 5 },
          'amazon-bedrock/amazon.nova-lite-v1:0': { tokensPerDay: 1e9 },
        },
      },
    });
    expect(c.bedrock.quotas['us.anthropic.claude-x-v1:0']).toEqual({ rpm: 300, tpm: 200_000, outputBurndown: 5 });
    expect(c.catalog).toEqual({ unavailableTtlSeconds: 300 });
  });

  it('fills provider api, auth and models defaults', () => {
    const c = parse({ models: { providers: { 'amazon-bedrock': { baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com' } } } });
    expect(c.models.providers['amazon-bedrock']).toEqual({
      baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      api: 'bedrock-converse-stream',
      auth: 'aws-sdk',
      models: [],
    });
  });

  it('keeps maxThreads and maxTurnsPerHost when given', () => {
    const c = parse({ pool: { minThreads: 2, maxThreads: 3, concurrentTasksPerWorker: 10 } });
    expect(c.pool).toEqual({
      minThreads: 2,
      maxThreads: 3,
      concurrentTasksPerWorker: 10,
      maxTurnsPerHost: 30,
      heartbeatMs: 5000,
      heartbeatTtlMs: 16_000,
    });
    expect(parse({ pool: { maxTurnsPerHost: 7 } }).pool.maxTurnsPerHost).toBe(7);
  });

  it('raises the default maxThreads to minThreads', () => {
    expect(parse({ pool: { minThreads: 1024 } }).pool.maxThreads).toBe(1024);
  });

  it('ignores keys of OpenClaw sections that turnpool does not read (one file can serve both)', () => {
    const c = parse({
      models: { mode: 'merge', providers: { openai: { apiKey: 'x' } } },
      agents: { defaults: { model: { primary: 'amazon-bedrock/a', fallbacks: ['x/y', 'amazon-bedrock/b'] }, workspace: '~' } },
    });
    expect(c.models.providers).toEqual({});
    // Another provider's fallback is OpenClaw's business; turnpool keeps its own, in order.
    expect(c.agents.defaults.model).toEqual({ primary: 'amazon-bedrock/a', fallbacks: ['amazon-bedrock/b'] });
  });
});

/** One rule each: input, the key path the problem names, and a piece of what it says is allowed. */
const rules: [string, unknown, string, string | undefined][] = [
  ['top-level unknown key', { redsi: {} }, 'redsi', 'redis'],
  [
    'discovery.enabled is a boolean',
    { models: { bedrockDiscovery: { enabled: 'yes' } } },
    'models.bedrockDiscovery.enabled',
    'true or false',
  ],
  [
    'discovery.region is an AWS region',
    { models: { bedrockDiscovery: { region: 'Mars 1' } } },
    'models.bedrockDiscovery.region',
    'us-east-1',
  ],
  [
    'discovery.providerFilter is a list',
    { models: { bedrockDiscovery: { providerFilter: 'anthropic' } } },
    'models.bedrockDiscovery.providerFilter',
    'list',
  ],
  [
    'discovery.providerFilter items are non-empty',
    { models: { bedrockDiscovery: { providerFilter: [''] } } },
    'models.bedrockDiscovery.providerFilter[0]',
    'provider name',
  ],
  [
    'discovery.refreshInterval is a whole number',
    { models: { bedrockDiscovery: { refreshInterval: 1.5 } } },
    'models.bedrockDiscovery.refreshInterval',
    'integer from 0',
  ],
  [
    'discovery.refreshInterval is >= 0',
    { models: { bedrockDiscovery: { refreshInterval: -1 } } },
    'models.bedrockDiscovery.refreshInterval',
    'integer from 0',
  ],
  [
    'discovery.defaultContextWindow is >= 1',
    { models: { bedrockDiscovery: { defaultContextWindow: 0 } } },
    'models.bedrockDiscovery.defaultContextWindow',
    'integer from 1',
  ],
  [
    'discovery.defaultMaxTokens is a number',
    { models: { bedrockDiscovery: { defaultMaxTokens: '4096' } } },
    'models.bedrockDiscovery.defaultMaxTokens',
    'integer from 1',
  ],
  [
    'discovery is strict',
    { models: { bedrockDiscovery: { refreshIntervall: 5 } } },
    'models.bedrockDiscovery.refreshIntervall',
    'refreshInterval',
  ],
  [
    'the plugin alias is validated like discovery',
    { plugins: { entries: { 'amazon-bedrock': { config: { discovery: { refreshInterval: 'hourly' } } } } } },
    'plugins.entries.amazon-bedrock.config.discovery.refreshInterval',
    'seconds',
  ],
  [
    'provider.api is bedrock-converse-stream',
    { models: { providers: { 'amazon-bedrock': { api: 'openai-completions' } } } },
    'models.providers.amazon-bedrock.api',
    '"bedrock-converse-stream"',
  ],
  [
    'provider.auth is aws-sdk',
    { models: { providers: { 'amazon-bedrock': { auth: 'api-key' } } } },
    'models.providers.amazon-bedrock.auth',
    '"aws-sdk"',
  ],
  [
    'provider.baseUrl is an http(s) URL',
    { models: { providers: { 'amazon-bedrock': { baseUrl: 'ftp://x' } } } },
    'models.providers.amazon-bedrock.baseUrl',
    'http',
  ],
  [
    'provider is strict',
    { models: { providers: { 'amazon-bedrock': { region: 'us-east-1' } } } },
    'models.providers.amazon-bedrock.region',
    'baseUrl',
  ],
  [
    'model.id is required',
    { models: { providers: { 'amazon-bedrock': { models: [{ name: 'x' }] } } } },
    'models.providers.amazon-bedrock.models[0].id',
    'model id',
  ],
  [
    'model ids are unique',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a' }, { id: 'a' }] } } } },
    'models.providers.amazon-bedrock.models[1].id',
    'each id once',
  ],
  [
    'model.input modalities',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', input: ['text', 'audio'] }] } } } },
    'models.providers.amazon-bedrock.models[0].input[1]',
    '"image"',
  ],
  [
    'model.reasoning is a boolean',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', reasoning: 'yes' }] } } } },
    'models.providers.amazon-bedrock.models[0].reasoning',
    'true or false',
  ],
  [
    'model.cost prices are >= 0',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', cost: { input: -1, output: 0 } }] } } } },
    'models.providers.amazon-bedrock.models[0].cost.input',
    'USD per million',
  ],
  [
    'model.cost needs output',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', cost: { input: 1 } }] } } } },
    'models.providers.amazon-bedrock.models[0].cost.output',
    'USD per million',
  ],
  [
    'model.contextWindow is >= 1',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', contextWindow: 0 }] } } } },
    'models.providers.amazon-bedrock.models[0].contextWindow',
    'tokens',
  ],
  [
    'model.maxTokens is a whole number',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', maxTokens: 1.5 }] } } } },
    'models.providers.amazon-bedrock.models[0].maxTokens',
    'tokens',
  ],
  [
    'model entries are strict',
    { models: { providers: { 'amazon-bedrock': { models: [{ id: 'a', contextWindw: 1 }] } } } },
    'models.providers.amazon-bedrock.models[0].contextWindw',
    'contextWindow',
  ],
  [
    'primary is amazon-bedrock/<id>',
    { agents: { defaults: { model: { primary: 'anthropic/claude' } } } },
    'agents.defaults.model.primary',
    'amazon-bedrock/',
  ],
  ['redis.url is a redis URL', { redis: { url: 'http://localhost' } }, 'redis.url', 'redis://'],
  ['redis.keyPrefix characters', { redis: { keyPrefix: '{bad}' } }, 'redis.keyPrefix', '1-64 characters'],
  ['redis is strict', { redis: { host: 'x' } }, 'redis.host', 'url, keyPrefix'],
  ['queue.name characters', { queue: { name: 'a b' } }, 'queue.name', '1-64 characters'],
  ['queue.attempts >= 1', { queue: { attempts: 0 } }, 'queue.attempts', 'from 1 to 100'],
  ['queue.backoffMs >= 0', { queue: { backoffMs: -5 } }, 'queue.backoffMs', 'milliseconds'],
  ['queue.lockDurationMs >= 1000', { queue: { lockDurationMs: 10 } }, 'queue.lockDurationMs', 'from 1000'],
  ['queue.stalledIntervalMs >= 100', { queue: { stalledIntervalMs: 1 } }, 'queue.stalledIntervalMs', 'from 100'],
  ['queue.maxStalledCount >= 0', { queue: { maxStalledCount: -1 } }, 'queue.maxStalledCount', 'stalls'],
  ['pool.minThreads <= maxThreads', { pool: { minThreads: 4, maxThreads: 2 } }, 'pool.minThreads', 'minThreads <= maxThreads'],
  ['pool.concurrentTasksPerWorker >= 1', { pool: { concurrentTasksPerWorker: 0 } }, 'pool.concurrentTasksPerWorker', 'turns per thread'],
  ['pool.maxTurnsPerHost >= 1', { pool: { maxTurnsPerHost: 0 } }, 'pool.maxTurnsPerHost', 'turns'],
  ['dispatcher.port range', { dispatcher: { port: 70000 } }, 'dispatcher.port', 'from 0 to 65535'],
  ['dispatcher.host has no spaces', { dispatcher: { host: 'a b' } }, 'dispatcher.host', 'host name'],
  ['dispatcher.apiKeys have no spaces', { dispatcher: { apiKeys: ['a b'] } }, 'dispatcher.apiKeys[0]', 'no spaces'],
  ['dispatcher.bodyLimitBytes >= 1024', { dispatcher: { bodyLimitBytes: 1 } }, 'dispatcher.bodyLimitBytes', 'bytes'],
  [
    'dispatcher.modelAliases targets are model refs',
    { dispatcher: { modelAliases: { 'gpt-4o': 'claude' } } },
    'dispatcher.modelAliases.gpt-4o',
    'amazon-bedrock/',
  ],
  [
    'dispatcher.modelAliases names have no spaces',
    { dispatcher: { modelAliases: { 'gpt 4o': 'amazon-bedrock/x' } } },
    'dispatcher.modelAliases["gpt 4o"]',
    'without spaces',
  ],
  ['streams.ttlSeconds >= 1', { streams: { ttlSeconds: 0 } }, 'streams.ttlSeconds', 'seconds'],
  ['retry.afterOutput is a boolean', { retry: { afterOutput: 1 } }, 'retry.afterOutput', 'true or false'],
  ['timeouts.firstChunkMs is 0 or >= 100', { timeouts: { firstChunkMs: 5 } }, 'timeouts.firstChunkMs', '0 (off) or an integer from 100'],
  ['timeouts.idleMs <= turnMs', { timeouts: { idleMs: 100_000, turnMs: 50_000 } }, 'timeouts.idleMs', 'idleMs <= turnMs'],
  ['timeouts.turnMs is a number', { timeouts: { turnMs: '10m' } }, 'timeouts.turnMs', 'milliseconds'],
  ['emulator.port range', { emulator: { port: -1 } }, 'emulator.port', 'TCP port'],
  ['bedrock.quotas budgets are strict', { bedrock: { quotas: { m: { rpn: 1 } } } }, 'bedrock.quotas.m.rpn', 'rpm'],
  ['bedrock.quotas rpm >= 1', { bedrock: { quotas: { m: { rpm: 0 } } } }, 'bedrock.quotas.m.rpm', 'requests per minute'],
  ['bedrock.quotas keys are model ids', { bedrock: { quotas: { 'a b': { rpm: 1 } } } }, 'bedrock.quotas["a b"]', 'model id'],
  ['bedrock.admission.maxWaitMs range', { bedrock: { admission: { maxWaitMs: -1 } } }, 'bedrock.admission.maxWaitMs', 'milliseconds'],
  [
    'bedrock.connections.streamsPerSession range',
    { bedrock: { connections: { streamsPerSession: 0 } } },
    'bedrock.connections.streamsPerSession',
    'streams per session',
  ],
  ['emulator is strict', { emulator: { host: 'x' } }, 'emulator.host', 'port'],
  ['shutdown.graceMs >= 1000', { shutdown: { graceMs: 0 } }, 'shutdown.graceMs', 'milliseconds'],
  ['shutdown is strict', { shutdown: { grace: 5 } }, 'shutdown.grace', 'graceMs'],
  ['catalog.unavailableTtlSeconds >= 1', { catalog: { unavailableTtlSeconds: 0 } }, 'catalog.unavailableTtlSeconds', 'from 1 to 86400'],
  [
    'catalog.unavailableTtlSeconds is a whole number',
    { catalog: { unavailableTtlSeconds: 2.5 } },
    'catalog.unavailableTtlSeconds',
    'seconds',
  ],
  ['catalog is strict', { catalog: { unavailableTtl: 5 } }, 'catalog.unavailableTtl', 'unavailableTtlSeconds'],
];

describe('config schema: one rule each', () => {
  it.each(rules)('%s', (_name, input, keyPath, allowed) => {
    const problems = problemsOf(input);
    const p = problems.find((x) => x.keyPath === keyPath);
    expect(p, `no problem at ${keyPath}: ${JSON.stringify(problems)}`).toBeDefined();
    if (allowed !== undefined) expect(p?.allowed).toContain(allowed);
    expect(p?.file).toBe('turnpool.json5');
    expect(p?.line).toBeGreaterThan(0);
  });

  it('refuses an apiKey in the amazon-bedrock provider, explains the credential chain, and masks the key', () => {
    const problems = problemsOf({ models: { providers: { 'amazon-bedrock': { apiKey: 'sk-very-secret' } } } });
    const p = problems.find((x) => x.keyPath === 'models.providers.amazon-bedrock.apiKey');
    expect(p?.message).toContain('AWS credential chain');
    expect(p?.message).toContain('AWS_BEARER_TOKEN_BEDROCK');
    expect(p?.value).toBe('"***"');
    expect(JSON.stringify(problems)).not.toContain('sk-very-secret');
  });

  it('accepts inference profile ids and ARNs as model ids', () => {
    const c = parse({
      models: {
        providers: {
          'amazon-bedrock': {
            models: [{ id: 'us.anthropic.claude-sonnet-4-20250514-v1:0' }, { id: 'arn:aws:bedrock:us-east-1:123:inference-profile/x' }],
          },
        },
      },
    });
    expect(c.models.providers['amazon-bedrock']?.models.map((m) => m.id)).toHaveLength(2);
  });

  it('lists every problem, not just the first', () => {
    const problems = problemsOf({ queue: { attempts: 0, backoffMs: -1 }, dispatcher: { port: 'x' }, nope: 1 });
    expect(problems.map((p) => p.keyPath).sort()).toEqual(['dispatcher.port', 'nope', 'queue.attempts', 'queue.backoffMs']);
  });
});
