import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { cleanupPrefix, noAwsCredentialsEnv, spawnTurnpool, testRedisUrl, uniquePrefix, type TurnpoolProcess } from '@turnpool/testing';
import { turnpoolBin } from '@turnpool/cli';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const root = path.resolve(import.meta.dirname, '../../..');
const own = JSON.parse(readFileSync(path.join(import.meta.dirname, '../package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/**
 * The package a gateway installs is this project's one devDependency — which is also what makes
 * Nx build it and the workspace packages it depends on before this test (`dependsOn: ^build`).
 * Switching the package (e.g. to a sub-path of another one) is that line of package.json, plus
 * GATEWAY_IMPORT here when the import is a sub-path.
 */
const gatewayPackage = Object.keys(own.devDependencies)[0] as string;
const gatewayImport = `${gatewayPackage}/client`;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  files?: string[];
  engines?: { node?: string };
}

/** Every `@turnpool/*` workspace package: its directory and package.json, by name. */
function workspacePackages(): Map<string, { dir: string; manifest: Manifest }> {
  const found = new Map<string, { dir: string; manifest: Manifest }>();
  for (const group of ['apps', 'libs', 'tools']) {
    for (const name of readdirSync(path.join(root, group))) {
      const file = path.join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      found.set(manifest.name, { dir: path.dirname(file), manifest });
    }
  }
  return found;
}

/** The package and every workspace package it depends on at run time, transitively. */
function closure(name: string, all: ReturnType<typeof workspacePackages>, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  const pkg = all.get(name);
  if (!pkg) throw new Error(`${name} is not a workspace package`);
  seen.add(name);
  for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) if (all.has(dep)) closure(dep, all, seen);
  return seen;
}

describe(`a plain JavaScript gateway installs ${gatewayPackage} from packed tarballs`, () => {
  const prefix = uniquePrefix('install');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'turnpool-install-'));
  let stack: TurnpoolProcess | undefined;

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    const redis = new Redis(testRedisUrl());
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('packs, installs without TypeScript or tsx, submits a turn to a running stack and follows it to turn-end', async () => {
    const all = workspacePackages();
    const names = [...closure(gatewayPackage, all)];

    // 1. Publishable: each package says what a registry needs, and packs to built JavaScript only.
    const tarballs: string[] = [];
    for (const name of names) {
      const { dir, manifest } = all.get(name)!;
      expect({ name, private: manifest.private }).toEqual({ name, private: undefined });
      expect(manifest.engines?.node, `${name} engines.node`).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
      expect(manifest.files, `${name} files`).toContain('dist');
      expect(existsSync(path.join(dir, 'README.md')), `${name} README.md`).toBe(true);
      const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', scratch], { cwd: dir });
      const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
      const files = packed!.files.map((f) => f.path);
      expect(files, `${name} tarball`).toContain('dist/index.js');
      expect(files, `${name} tarball`).toContain('dist/index.d.ts');
      expect(
        files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
        `${name} ships TypeScript sources`,
      ).toEqual([]);
      expect(
        files.filter((f) => f.includes('.test.') || f.includes('tsbuildinfo')),
        `${name} ships test or build files`,
      ).toEqual([]);
      tarballs.push(path.join(scratch, packed!.filename));
    }

    // 2. A scratch project outside the workspace: plain JavaScript, the tarballs and nothing else.
    const app = path.join(scratch, 'gateway');
    rmSync(app, { recursive: true, force: true });
    await run('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'gateway', private: true, type: 'module' }, null, 2)}\n`);
    copyFileSync(path.join(import.meta.dirname, '__fixtures__/gateway.mjs'), path.join(app, 'gateway.mjs'));
    await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], {
      cwd: app,
      timeout: 180_000,
    });
    const installed = readdirSync(path.join(app, 'node_modules'));
    expect(installed).not.toContain('typescript');
    expect(installed).not.toContain('tsx');
    for (const name of names) expect(existsSync(path.join(app, 'node_modules', name, 'dist/index.js')), name).toBe(true);

    // 3. A running stack (dispatcher + worker host on the emulator) on the test Redis, own prefix.
    const env = { ...noAwsCredentialsEnv, REDIS_URL: testRedisUrl(), TURNPOOL_KEY_PREFIX: prefix };
    stack = spawnTurnpool(turnpoolBin, ['start', '--port', '0'], env);
    await stack.waitFor(/turnpool is running: http:\/\/127\.0\.0\.1:\d+/, 90_000);

    // 4. The gateway, with a plain `node` (no loader, no condition), from the scratch project.
    const { stdout } = await run(process.execPath, ['gateway.mjs'], {
      cwd: app,
      timeout: 60_000,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        GATEWAY_IMPORT: gatewayImport,
        REDIS_URL: testRedisUrl(),
        TURNPOOL_KEY_PREFIX: prefix,
      },
    });
    const events = stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type?: string;
            text?: string;
            submitted?: string;
            stopReason?: { unified: string };
            usage?: { outputTokens: number };
          },
      );
    expect(events[0]?.submitted).toMatch(/\S/);
    const text = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.text)
      .join('');
    expect(text.trim().split(/\s+/)).toHaveLength(6);
    const end = events.at(-1);
    expect(end?.type).toBe('turn-end');
    expect(end?.stopReason?.unified).toBe('end_turn');
    expect(end?.usage?.outputTokens).toBe(6);
  }, 300_000);
});
