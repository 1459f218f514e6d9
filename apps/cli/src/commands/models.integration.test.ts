import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { defaultCatalog, startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { detectCredentials } from '@turnpool/credentials';
import { createCatalog } from '@turnpool/discovery';
import { cleanupPrefix, freePort, sourceExecArgv, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureIo, startDenyingBedrock } from './cli-test-support.ts';
import { modelsCommand } from './models.ts';
import { turnpoolBin as bin } from '../turnpool-bin.ts';

let emulator: EmulatorHandle;
let redis: Redis;
let dir: string;
let prefix: string;
let configFile: string;

/** A model family turnpool's known-limits table does not cover: its limits must show as defaulted. */
const unknownModel = {
  modelId: 'ai21.jamba-1-5-mini-v1:0',
  modelName: 'Jamba 1.5 Mini',
  providerName: 'AI21 Labs',
  inputModalities: ['TEXT'],
  outputModalities: ['TEXT'],
  responseStreamingSupported: true,
  customizationsSupported: [],
  inferenceTypesSupported: ['ON_DEMAND'],
  modelLifecycle: { status: 'ACTIVE' },
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-cli-models-'));
  const catalog = defaultCatalog();
  const catalogFile = path.join(dir, 'catalog.json');
  writeFileSync(
    catalogFile,
    JSON.stringify({ modelSummaries: [...catalog.models, unknownModel], inferenceProfileSummaries: catalog.profiles }),
  );
  emulator = await startEmulator({ catalogFile });
  redis = new Redis(testRedisUrl());
});
afterAll(async () => {
  await emulator.close();
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  prefix = uniquePrefix('cli-models');
  configFile = path.join(dir, `${prefix}.json5`);
  writeFileSync(
    configFile,
    `{
    // a temp config: own key prefix, one configured model
    redis: { keyPrefix: '${prefix}' },
    models: { providers: { 'amazon-bedrock': { api: 'bedrock-converse-stream', auth: 'aws-sdk',
      models: [{ id: 'amazon.nova-micro-v1:0', name: 'Nova Micro (configured)', maxTokens: 2000 }] } } },
  }`,
  );
  emulator.reset();
});
afterEach(async () => {
  await cleanupPrefix(redis, prefix);
});

const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HOME: dir,
  AWS_EC2_METADATA_DISABLED: 'true',
  TURNPOOL_BEDROCK_ENDPOINT: emulator.url,
  AWS_ACCESS_KEY_ID: 'AKIADUMMYKEY00000001',
  AWS_SECRET_ACCESS_KEY: 'dummy-secret',
  REDIS_URL: testRedisUrl(),
  TURNPOOL_CONFIG: configFile,
  ...over,
});

function runCli(args: string[], e: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...sourceExecArgv, bin, ...args], { env: { PATH: process.env['PATH'], ...e }, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const row = (out: string, id: string) => out.split('\n').find((l) => l.startsWith(`${id} `));

describe('turnpool models list (child process against the emulator)', () => {
  it('shows profile ids for profile-only models, real context windows for known families, and marks defaulted limits', async () => {
    const r = await runCli(['models', 'list'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+NAME\s+PROVIDER\s+CONTEXT\s+MAX OUT\s+REASONING\s+INPUT\s+LIMITS\s+AVAILABLE$/m);
    expect(row(r.stdout, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatch(
      /Anthropic\s+200000\s+64000\s+yes\s+text,image,document\s+known\s+yes/,
    );
    expect(row(r.stdout, 'anthropic.claude-sonnet-4-5-20250929-v1:0')).toBeUndefined();
    expect(row(r.stdout, 'us.deepseek.r1-v1:0')).toMatch(/128000\s+32768\s+yes/);
    expect(row(r.stdout, 'ai21.jamba-1-5-mini-v1:0')).toMatch(/32000\*\s+4096\*\s+no\s+text,document\s+default\*\s+yes/);
    expect(r.stdout).toContain('* defaulted limits');
    expect(row(r.stdout, 'amazon.nova-micro-v1:0')).toMatch(/Nova Micro \(configured\)\s+Amazon\s+128000\s+2000/);
    expect(emulator.stats().calls.ListFoundationModels).toBe(1);
  }, 30_000);
});

describe('turnpool models (in process)', () => {
  it('--json prints an array with the documented fields', async () => {
    const io = captureIo(env(), dir);
    expect(await modelsCommand.run(['list', '--json'], io)).toBe(0);
    const rows = JSON.parse(io.stdout) as Record<string, unknown>[];
    for (const r of rows) {
      for (const k of ['id', 'name', 'provider', 'contextWindow', 'maxTokens', 'reasoning', 'input', 'limitsKnown', 'available'])
        expect(r).toHaveProperty(k);
    }
    expect(rows.find((r) => r['id'] === 'ai21.jamba-1-5-mini-v1:0')).toMatchObject({ limitsKnown: false, contextWindow: 32_000 });
    expect(rows.find((r) => r['id'] === 'global.anthropic.claude-haiku-4-5-20251001-v1:0')).toMatchObject({
      limitsKnown: true,
      contextWindow: 200_000,
      reasoning: true,
    });
  });

  it('--provider filters case-insensitively; --all adds the left-out models with their reason', async () => {
    const io = captureIo(env(), dir);
    expect(await modelsCommand.run(['list', '--json', '--provider', 'ANTHROPIC', '--all'], io)).toBe(0);
    const rows = JSON.parse(io.stdout) as { provider: string; id: string; filtered?: boolean; reason?: string }[];
    expect(new Set(rows.map((r) => r.provider))).toEqual(new Set(['Anthropic']));
    expect(rows.find((r) => r.id === 'anthropic.claude-3-haiku-20240307-v1:0:48k')).toMatchObject({
      filtered: true,
      reason: 'provisioned throughput only',
    });
    const table = captureIo(env(), dir);
    expect(await modelsCommand.run(['list', '--all'], table)).toBe(0);
    expect(table.stdout).toMatch(/Left out by discovery \(5\):/);
    expect(table.stdout).toMatch(/amazon\.nova-canvas-v1:0\s+Amazon\s+output is IMAGE, not TEXT/);
  });

  it('reads go through the shared cache: a second list makes no Bedrock call; refresh forces one', async () => {
    await modelsCommand.run(['list'], captureIo(env(), dir));
    await modelsCommand.run(['list'], captureIo(env(), dir));
    expect(emulator.stats().calls.ListFoundationModels).toBe(1);
    const io = captureIo(env(), dir);
    expect(await modelsCommand.run(['refresh'], io)).toBe(0);
    expect(io.stdout).toMatch(/^refreshed: \d+ models for us-east-1/);
    expect(emulator.stats().calls.ListFoundationModels).toBe(2);
  });

  it('a model marked unavailable by a worker shows when the mark ends; `models refresh` clears it', async () => {
    expect(await modelsCommand.run(['list'], captureIo(env(), dir))).toBe(0); // a cold fetch clears marks: fetch first
    const credentials = await detectCredentials({ env: env() });
    const control = new BedrockClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const worker = createCatalog({ redis, control, keyPrefix: prefix, region: 'us-east-1', credentialsIdentity: credentials.identityHash });
    await worker.markUnavailable('amazon.nova-pro-v1:0', 'AccessDeniedException: no model access');
    control.destroy();
    const list = captureIo(env(), dir);
    expect(await modelsCommand.run(['list'], list)).toBe(0);
    expect(row(list.stdout, 'amazon.nova-pro-v1:0')).toMatch(
      /no: AccessDeniedException: no model access \(until \d{4}-\d\d-\d\dT[\d:.]+Z; `turnpool models refresh` clears it\)$/,
    );
    expect(await modelsCommand.run(['refresh'], captureIo(env(), dir))).toBe(0);
    const after = captureIo(env(), dir);
    expect(await modelsCommand.run(['list', '--json'], after)).toBe(0);
    expect((JSON.parse(after.stdout) as { id: string; available: boolean }[]).find((r) => r.id === 'amazon.nova-pro-v1:0')?.available).toBe(
      true,
    );
  });

  it('no credentials: a clear error saying how to fix it', async () => {
    writeFileSync(configFile, `{ redis: { keyPrefix: '${prefix}' } }`);
    const io = captureIo(env({ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }), dir);
    expect(await modelsCommand.run(['list'], io)).toBe(1);
    expect(io.stderr).toMatch(/no AWS credentials found\. Set AWS_BEARER_TOKEN_BEDROCK/);
  });

  it('Redis unreachable: a clear error naming the URL (password masked) and the setting', async () => {
    const io = captureIo(env({ REDIS_URL: `redis://:hunter2@127.0.0.1:${await freePort()}` }), dir);
    expect(await modelsCommand.run(['list'], io)).toBe(1);
    expect(io.stderr).toMatch(/Redis is unreachable at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+.*REDIS_URL/);
    expect(io.stderr).not.toContain('hunter2');
  });

  it('AccessDenied: a clear error naming the missing permission', async () => {
    const deny = await startDenyingBedrock();
    try {
      const io = captureIo(env({ TURNPOOL_BEDROCK_ENDPOINT: deny.url }), dir);
      expect(await modelsCommand.run(['list'], io)).toBe(1);
      expect(io.stderr).toMatch(/discovery_access_denied: .*bedrock:ListFoundationModels/);
    } finally {
      await deny.close();
    }
  });

  it('bad arguments are usage errors naming what is wrong (main prints them with the usage, exit 2)', async () => {
    const refused = async (args: string[], message: string) => {
      await expect(modelsCommand.run(args, captureIo(env(), dir))).rejects.toMatchObject({
        name: 'UsageError',
        message: expect.stringContaining(message),
      });
    };
    await refused(['list', '--bogus'], "'--bogus'");
    await refused(['list', '--provider'], "'--provider <value>' argument missing");
    await refused(['frob'], 'unknown subcommand "frob"');
    await refused(['refresh', 'x'], 'unexpected argument "x"');
    await refused(['refresh', '--all'], '--all is an option of "models list" only');
    await refused([], 'missing subcommand');
  });
});
