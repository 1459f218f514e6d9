import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';
import { setConfigValue } from './set-config-value.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'turnpool-set-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lookup = () => ({ env: {}, cwd: dir, homeDir: join(dir, 'home') });

describe('setConfigValue', () => {
  it('creates ./turnpool.json5 when no file exists, readable by loadConfig', async () => {
    const r = await setConfigValue({ ...lookup(), keyPath: 'models.bedrockDiscovery.enabled', value: true });
    expect(r).toEqual({ path: join(dir, 'turnpool.json5'), from: 'cwd', created: true });
    expect((await stat(r.path)).mode & 0o777).toBe(0o600);
    const loaded = await loadConfig(lookup());
    expect(loaded.config.models.bedrockDiscovery.enabled).toBe(true);
  });

  it('creates the file and its directories at --config', async () => {
    const r = await setConfigValue({
      ...lookup(),
      configPath: 'deep/er/c.json5',
      keyPath: 'models.bedrockDiscovery.region',
      value: 'us-east-1',
    });
    expect(r.path).toBe(join(dir, 'deep', 'er', 'c.json5'));
    expect(await readFile(r.path, 'utf8')).toBe('{\n  models: {\n    bedrockDiscovery: {\n      region: "us-east-1"\n    }\n  }\n}\n');
  });

  it('edits in place, keeping comments, and leaves no temp file', async () => {
    const file = join(dir, 'turnpool.json5');
    const text = '// keep me\n{\n  dispatcher: {\n    port: 8787, // the API\n  },\n}\n';
    await writeFile(file, text, { mode: 0o644 });
    await setConfigValue({ ...lookup(), keyPath: 'dispatcher.port', value: 9090 });
    expect(await readFile(file, 'utf8')).toBe(text.replace('8787', '9090'));
    expect(await readdir(dir)).toEqual(['turnpool.json5']);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it('refuses an invalid value naming the key, and leaves the file untouched', async () => {
    const file = join(dir, 'turnpool.json5');
    await writeFile(file, '{ dispatcher: { port: 8787 } }');
    const err = await setConfigValue({ ...lookup(), keyPath: 'dispatcher.port', value: 'eighty' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).keyPath).toBe('dispatcher.port');
    expect((err as ConfigError).message).toContain('refused to set dispatcher.port');
    expect(await readFile(file, 'utf8')).toBe('{ dispatcher: { port: 8787 } }');
  });

  it('refuses an unknown key in a strict section', async () => {
    const err = await setConfigValue({ ...lookup(), keyPath: 'queue.atempts', value: 3 }).catch((e: unknown) => e);
    expect((err as ConfigError).keyPath).toBe('queue.atempts');
    expect((err as ConfigError).message).toContain('unknown key');
  });

  it('refuses an apiKey on the amazon-bedrock provider without echoing it', async () => {
    const err = await setConfigValue({ ...lookup(), keyPath: 'models.providers.amazon-bedrock.apiKey', value: 'sk-topsecret' }).catch(
      (e: unknown) => e,
    );
    expect((err as ConfigError).message).toContain('AWS_BEARER_TOKEN_BEDROCK');
    expect((err as ConfigError).message).not.toContain('sk-topsecret');
  });

  it('lets a set fix one key while another, older problem remains', async () => {
    const file = join(dir, 'turnpool.json5');
    await writeFile(file, '{ queue: { attempts: 0 }, dispatcher: { port: "x" } }');
    await setConfigValue({ ...lookup(), keyPath: 'dispatcher.port', value: 8080 });
    expect(await readFile(file, 'utf8')).toBe('{ queue: { attempts: 0 }, dispatcher: { port: 8080 } }');
  });

  it('refuses to edit a file that is not JSON5', async () => {
    const file = join(dir, 'turnpool.json5');
    await writeFile(file, '{ broken');
    const err = await setConfigValue({ ...lookup(), keyPath: 'a', value: 1 }).catch((e: unknown) => e);
    expect((err as ConfigError).code).toBe('config_parse');
    expect(await readFile(file, 'utf8')).toBe('{ broken');
  });

  it('refuses hostile key paths before touching the disk', async () => {
    for (const keyPath of ['__proto__.polluted', 'constructor.prototype.x', 'a..b', 'x'.repeat(10_000)]) {
      const err = await setConfigValue({ ...lookup(), keyPath, value: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
    }
    expect(await readdir(dir)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
