import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { resolveConfigPath } from './resolve-config-path.ts';
import { resolveConfigWritePath } from './resolve-config-write-path.ts';

let root: string;
let cwd: string;
let home: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'turnpool-config-'));
  cwd = join(root, 'cwd');
  home = join(root, 'home');
  await mkdir(cwd);
  await mkdir(join(home, '.turnpool'), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveConfigPath: lookup order', () => {
  it('1. --config wins over everything', async () => {
    const flag = join(root, 'flag.json5');
    const fromEnv = join(root, 'env.json5');
    await Promise.all([flag, fromEnv, join(cwd, 'turnpool.json5'), join(home, '.turnpool', 'config.json5')].map((f) => writeFile(f, '{}')));
    const r = await resolveConfigPath({ configPath: flag, env: { TURNPOOL_CONFIG: fromEnv }, cwd, homeDir: home });
    expect(r).toMatchObject({ path: flag, from: '--config' });
  });

  it('1. a relative --config resolves against cwd', async () => {
    await writeFile(join(cwd, 'other.json5'), '{}');
    const r = await resolveConfigPath({ configPath: 'other.json5', env: {}, cwd, homeDir: home });
    expect(r.path).toBe(join(cwd, 'other.json5'));
  });

  it('2. TURNPOOL_CONFIG wins over ./turnpool.json5 and the home file', async () => {
    const fromEnv = join(root, 'env.json5');
    await Promise.all([fromEnv, join(cwd, 'turnpool.json5'), join(home, '.turnpool', 'config.json5')].map((f) => writeFile(f, '{}')));
    const r = await resolveConfigPath({ env: { TURNPOOL_CONFIG: fromEnv }, cwd, homeDir: home });
    expect(r).toMatchObject({ path: fromEnv, from: 'TURNPOOL_CONFIG' });
  });

  it('2. an empty TURNPOOL_CONFIG counts as unset', async () => {
    const r = await resolveConfigPath({ env: { TURNPOOL_CONFIG: '' }, cwd, homeDir: home });
    expect(r.from).toBe('defaults');
  });

  it('3. ./turnpool.json5 wins over the home file', async () => {
    await Promise.all([join(cwd, 'turnpool.json5'), join(home, '.turnpool', 'config.json5')].map((f) => writeFile(f, '{}')));
    const r = await resolveConfigPath({ env: {}, cwd, homeDir: home });
    expect(r).toMatchObject({ path: join(cwd, 'turnpool.json5'), from: 'cwd' });
  });

  it('4. ~/.turnpool/config.json5 when nothing else exists', async () => {
    await writeFile(join(home, '.turnpool', 'config.json5'), '{}');
    const r = await resolveConfigPath({ env: {}, cwd, homeDir: home });
    expect(r).toMatchObject({ path: join(home, '.turnpool', 'config.json5'), from: 'home' });
  });

  it('5. no file at all: path null, defaults', async () => {
    const r = await resolveConfigPath({ env: {}, cwd, homeDir: home });
    expect(r).toEqual({ path: null, from: 'defaults', candidates: [join(cwd, 'turnpool.json5'), join(home, '.turnpool', 'config.json5')] });
  });

  it('a missing --config path is config_not_found naming the path and the option', async () => {
    const missing = join(root, 'nope.json5');
    const err = await resolveConfigPath({ configPath: missing, env: {}, cwd, homeDir: home }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('config_not_found');
    expect((err as ConfigError).message).toContain(missing);
    expect((err as ConfigError).message).toContain('--config');
  });

  it('a missing TURNPOOL_CONFIG path is config_not_found naming the variable', async () => {
    const err = await resolveConfigPath({ env: { TURNPOOL_CONFIG: join(root, 'gone.json5') }, cwd, homeDir: home }).catch(
      (e: unknown) => e,
    );
    expect((err as ConfigError).code).toBe('config_not_found');
    expect((err as ConfigError).message).toContain('TURNPOOL_CONFIG');
    expect((err as ConfigError).message).toContain('gone.json5');
  });

  it('an explicit path that is a directory is refused', async () => {
    const err = await resolveConfigPath({ configPath: cwd, env: {}, cwd, homeDir: home }).catch((e: unknown) => e);
    expect((err as ConfigError).message).toBe(`${cwd}: is a directory, not a file (named by the --config option)`);
  });

  it('a directory named turnpool.json5 in cwd is skipped', async () => {
    await mkdir(join(cwd, 'turnpool.json5'));
    const r = await resolveConfigPath({ env: {}, cwd, homeDir: home });
    expect(r.from).toBe('defaults');
  });
});

describe('resolveConfigWritePath', () => {
  it('writes to --config even when it does not exist yet', async () => {
    const r = await resolveConfigWritePath({ configPath: 'new/x.json5', env: {}, cwd, homeDir: home });
    expect(r).toEqual({ path: join(cwd, 'new', 'x.json5'), from: '--config', exists: false });
  });

  it('writes to TURNPOOL_CONFIG when set', async () => {
    const r = await resolveConfigWritePath({ env: { TURNPOOL_CONFIG: join(root, 'e.json5') }, cwd, homeDir: home });
    expect(r).toEqual({ path: join(root, 'e.json5'), from: 'TURNPOOL_CONFIG', exists: false });
  });

  it('writes to the file lookup found (the home file)', async () => {
    await writeFile(join(home, '.turnpool', 'config.json5'), '{}');
    const r = await resolveConfigWritePath({ env: {}, cwd, homeDir: home });
    expect(r).toEqual({ path: join(home, '.turnpool', 'config.json5'), from: 'home', exists: true });
  });

  it('else creates ./turnpool.json5', async () => {
    const r = await resolveConfigWritePath({ env: {}, cwd, homeDir: home });
    expect(r).toEqual({ path: join(cwd, 'turnpool.json5'), from: 'cwd', exists: false });
  });
});
