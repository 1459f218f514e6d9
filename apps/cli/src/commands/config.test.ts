import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';

let dir: string;
let home: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'turnpool-cli-config-'));
  home = join(dir, 'home');
  await mkdir(home);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: { HOME: home, ...env },
    cwd: dir,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

async function run(args: string[], env?: NodeJS.ProcessEnv) {
  const io = captureIo(env);
  const code = await main(['config', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('turnpool config path', () => {
  it('says when no file is found and where set would write', async () => {
    const r = await run(['path']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('none (no config file found: built-in defaults');
    expect(r.stdout).toContain(`config set writes to ${join(dir, 'turnpool.json5')}`);
  });

  it('names the file and the lookup step', async () => {
    await writeFile(join(dir, 'turnpool.json5'), '{}');
    expect((await run(['path'])).stdout).toBe(`${join(dir, 'turnpool.json5')} (from turnpool.json5 in the current directory)\n`);
    await mkdir(join(home, '.turnpool'));
    await writeFile(join(home, '.turnpool', 'config.json5'), '{}');
    await rm(join(dir, 'turnpool.json5'));
    expect((await run(['path'])).stdout).toContain('(from ~/.turnpool/config.json5 in the home directory)');
    await writeFile(join(dir, 'e.json5'), '{}');
    expect((await run(['path'], { TURNPOOL_CONFIG: 'e.json5' })).stdout).toContain('(from the TURNPOOL_CONFIG environment variable)');
    expect((await run(['path', '--config', 'e.json5'])).stdout).toContain('(from the --config option)');
  });

  it('fails naming a missing --config file', async () => {
    const r = await run(['path', '--config=missing.json5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'missing.json5'));
    expect(r.stderr).toContain('does not exist');
  });
});

describe('turnpool config set / get', () => {
  it('follows the OpenClaw steps: set discovery enabled and region, then get them', async () => {
    expect((await run(['set', 'models.bedrockDiscovery.enabled', 'true'])).code).toBe(0);
    const r = await run(['set', 'models.bedrockDiscovery.region', 'us-east-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`updated ${join(dir, 'turnpool.json5')}: models.bedrockDiscovery.region = "us-east-1"\n`);
    expect((await run(['get', 'models.bedrockDiscovery.enabled'])).stdout).toBe('true\n');
    expect((await run(['get', 'models.bedrockDiscovery'])).stdout).toBe(
      `${JSON.stringify({ enabled: true, region: 'us-east-1', refreshInterval: 3600, defaultContextWindow: 32000, defaultMaxTokens: 4096 }, null, 2)}\n`,
    );
  });

  it('parses values like OpenClaw: numbers, lists, JSON5, plain strings; --string keeps text', async () => {
    await run(['set', 'models.bedrockDiscovery.refreshInterval', '600']);
    await run(['set', 'models.bedrockDiscovery.providerFilter', '["anthropic","amazon"]']);
    await run(['set', 'models.providers.amazon-bedrock.baseUrl', 'http://127.0.0.1:8788']);
    await run([
      'set',
      'models.providers["amazon-bedrock"].models',
      "[{id: 'anthropic.claude-opus-4-5-20251101-v1:0', contextWindow: 200000}]",
    ]);
    expect((await run(['get', 'models.bedrockDiscovery.refreshInterval'])).stdout).toBe('600\n');
    expect(JSON.parse((await run(['get', 'models.bedrockDiscovery.providerFilter'])).stdout)).toEqual(['anthropic', 'amazon']);
    expect((await run(['get', 'models.providers["amazon-bedrock"].baseUrl'])).stdout).toBe('"http://127.0.0.1:8788"\n');
    expect((await run(['get', 'models.providers.amazon-bedrock.models[0].contextWindow'])).stdout).toBe('200000\n');
    const refused = await run(['set', 'retry.afterOutput', 'true', '--string']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('retry.afterOutput');
  });

  it('keeps the comments of the rest of the file', async () => {
    const text = '// mine\n{\n  /* block */\n  dispatcher: {\n    port: 8787, // api\n  },\n}\n';
    await writeFile(join(dir, 'turnpool.json5'), text);
    expect((await run(['set', 'dispatcher.port', '9000'])).code).toBe(0);
    expect(await readFile(join(dir, 'turnpool.json5'), 'utf8')).toBe(text.replace('8787', '9000'));
  });

  it('get shows env overrides and defaults, and masks secrets', async () => {
    const r = await run(['get', 'dispatcher'], {
      TURNPOOL_API_KEYS: 'secret-one,secret-two',
      TURNPOOL_READONLY_API_KEYS: 'secret-read',
      TURNPOOL_DISPATCHER_PORT: '9999',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      host: '127.0.0.1',
      port: 9999,
      apiKeys: ['***', '***'],
      readOnlyApiKeys: ['***'],
      turnIndexMax: 100_000,
      bodyLimitBytes: 21 * 1024 * 1024,
      modelAliases: {},
    });
    expect(r.stdout).not.toContain('secret-one');
    expect(r.stdout).not.toContain('secret-read');
    const url = await run(['get', 'redis.url'], { REDIS_URL: 'redis://user:pw123@h:6379' });
    expect(url.stdout).toBe('"redis://***@h:6379"\n');
  });

  it('set refuses an invalid value naming the key and does not write', async () => {
    const r = await run(['set', 'models.providers.amazon-bedrock.api', 'openai-completions']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models.providers.amazon-bedrock.api');
    expect(r.stderr).toContain('"bedrock-converse-stream"');
    expect((await run(['path'])).stdout).toContain('none');
  });

  it('set of a key turnpool ignores (OpenClaw-only) writes it and says so', async () => {
    const r = await run(['set', 'agents.defaults.workspace', '"~/agents"']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: turnpool does not read agents.defaults.workspace (kept in the file for OpenClaw)\n');
    expect((await run(['set', 'agents.defaults.model.primary', 'amazon-bedrock/x'])).stderr).toBe('');
    // turnpool reads the fallbacks since fleet-wide admission (docs/quotas.md)
    expect((await run(['set', 'agents.defaults.model.fallbacks', '["amazon-bedrock/y"]'])).stderr).toBe('');
  });

  it('get without a key prints the whole effective config', async () => {
    const r = await run(['get'], { TURNPOOL_API_KEYS: 'k-secret' });
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { queue: { name: string }; dispatcher: { apiKeys: string[] } };
    expect(all.queue.name).toBe('turns');
    expect(all.dispatcher.apiKeys).toEqual(['***']);
  });

  it('get of a key that is not set fails', async () => {
    const r = await run(['get', 'models.bedrockDiscovery.region']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models.bedrockDiscovery.region is not set');
  });

  it.each([['__proto__.polluted'], ['constructor.prototype'], ['a..b'], ['x'.repeat(10_000)]])(
    'refuses the hostile key path %#',
    async (key) => {
      for (const args of [
        ['get', key],
        ['set', key, 'true'],
      ]) {
        const r = await run(args);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('invalid key path');
        expect(r.stderr.length).toBeLessThan(600);
      }
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );
});

describe('turnpool config validate', () => {
  it('exits 0 for a valid file', async () => {
    await writeFile(join(dir, 'turnpool.json5'), '{ models: { bedrockDiscovery: { enabled: true } } }');
    const r = await run(['validate']);
    expect(r).toEqual({ code: 0, stdout: `ok: ${join(dir, 'turnpool.json5')}\n`, stderr: '' });
  });

  it('exits 1 listing every problem with key path and line', async () => {
    await writeFile(join(dir, 'turnpool.json5'), '{\n  queue: { attempts: 0 },\n  dispatcher: {\n    port: "http",\n  },\n}\n');
    const r = await run(['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'turnpool.json5')}:2: queue.attempts: 0 is out of range`);
    expect(r.stderr).toContain(`${join(dir, 'turnpool.json5')}:4: dispatcher.port: expected number, got "http"`);
  });

  it('names the env var behind a bad value', async () => {
    const r = await run(['validate'], { TURNPOOL_DISPATCHER_PORT: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('env TURNPOOL_DISPATCHER_PORT: dispatcher.port');
  });

  it('prints the discovery-alias conflict warning', async () => {
    await writeFile(
      join(dir, 'turnpool.json5'),
      '{ models: { bedrockDiscovery: { region: "us-east-1" } }, plugins: { entries: { "amazon-bedrock": { config: { discovery: { region: "eu-west-1" } } } } } }',
    );
    const r = await run(['validate']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: models.bedrockDiscovery.region ("us-east-1") wins');
  });
});

describe('turnpool config usage', () => {
  it('prints help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: turnpool config');
  });

  it('exits 2 on unknown subcommands, options and wrong argument counts', async () => {
    expect((await run(['frob'])).code).toBe(2);
    expect((await run(['__proto__'])).code).toBe(2);
    expect((await run(['get', 'a', '--nope'])).code).toBe(2);
    expect((await run(['set', 'a'])).code).toBe(2);
    expect((await run(['get', 'a', 'b'])).code).toBe(2);
    expect((await run(['path', '--config'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('is listed in turnpool --help', async () => {
    const io = captureIo();
    await main(['--help'], io);
    expect(io.stdout).toMatch(/config\s+show, check and edit the config file/);
  });
});
