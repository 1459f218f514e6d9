import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAdmission, type Lease } from '@turnpool/quota';
import { cleanupPrefix, spawnTurnpool, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './cli-test-support.ts';
import { quotasCommand } from './quotas.ts';
import { turnpoolBin } from '../turnpool-bin.ts';

let dir: string;
let redis: Redis;
const prefix = uniquePrefix('cli-quotas');
const emptyPrefix = uniquePrefix('cli-quotas-empty');
const key = 'us-east-1/amazon.nova-pro-v1:0';
const unconfigured = 'us-west-2/amazon.nova-micro-v1:0';

/** A config file naming the key prefix, as a deployment's would. */
function configFor(keyPrefix: string): string {
  const file = path.join(dir, `${keyPrefix}.json5`);
  writeFileSync(file, `{ redis: { keyPrefix: '${keyPrefix}' } }`);
  return file;
}

async function run(args: string[]): Promise<{ code: number | string; output: string }> {
  const p = spawnTurnpool(turnpoolBin, args, {
    HOME: dir,
    XDG_STATE_HOME: path.join(dir, 'state'),
    AWS_EC2_METADATA_DISABLED: 'true',
    REDIS_URL: testRedisUrl(),
  });
  const timer = setTimeout(() => {
    void p.stop('SIGKILL');
  }, 60_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output() };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-cli-quotas-'));
  redis = new Redis(testRedisUrl());
  // What worker hosts leave in Redis: on `key`, three calls admitted (one then throttled), one turn waiting on TPM;
  // on `unconfigured`, one call admitted with no budget configured.
  const admission = createAdmission({ redis, keyPrefix: prefix });
  const budget = { rpm: 100, tpm: 1000, tokensPerDay: 50_000 };
  const leases: Lease[] = [];
  for (const turn of ['t1', 't2', 't3']) {
    const r = await admission.acquire(key, budget, 300, turn);
    if (r.status !== 'admitted') throw new Error(`${turn} was not admitted: ${r.status}`);
    leases.push(r.lease);
  }
  expect((await admission.acquire(key, budget, 300, 't4')).status).toBe('wait');
  await admission.settle(leases[0] as Lease, budget, { usedTokens: 120, outcome: 'throttled' });
  expect((await admission.acquire(unconfigured, {}, 50, 'u1')).status).toBe('admitted');
});
afterAll(async () => {
  await cleanupPrefix(redis, prefix);
  await cleanupPrefix(redis, emptyPrefix);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('turnpool quotas (real process, real Redis)', () => {
  it('--json prints every key with configured and learned budget, in flight, reserved, waiting and throttles', async () => {
    const r = await run(['quotas', '--json', '--config', configFor(prefix)]);
    expect(r.code).toBe(0);
    const quotas = JSON.parse(r.output) as { quotaKey: string }[];
    expect(quotas.map((q) => q.quotaKey)).toEqual([key, unconfigured]);
    expect(quotas[0]).toMatchObject({
      quotaKey: key,
      configured: { rpm: 100, tpm: 1000, tokensPerDay: 50_000 },
      learnedConcurrency: 2,
      inFlight: 2,
      reservedTokens: 600,
      waiting: 1,
      throttlesLastMinute: 1,
      // The daily count takes reservations at admission and corrects them at settle: 2 × 300 in flight + 120 used.
      tokensToday: 720,
    });
    expect(quotas[1]).toMatchObject({
      quotaKey: unconfigured,
      configured: {},
      learnedConcurrency: null,
      inFlight: 1,
      reservedTokens: 50,
      waiting: 0,
      throttlesLastMinute: 0,
    });
  }, 60_000);

  it('prints a table, "-" where nothing is configured or learned', async () => {
    const r = await run(['quotas', '--config', configFor(prefix)]);
    expect(r.code).toBe(0);
    const lines = r.output.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+CONFIGURED \(rpm\/tpm\/day\)\s+LEARNED\s+IN FLIGHT\s+RESERVED\s+WAITING\s+THROTTLES\/1m\s+TODAY$/);
    expect(lines[1]).toMatch(new RegExp(`^${key.replace(/\./g, '\\.')}\\s+100/1000/50000\\s+2\\s+2\\s+600\\s+1\\s+1\\s+720$`));
    expect(lines[2]).toMatch(new RegExp(`^${unconfigured.replace(/\./g, '\\.')}\\s+-\\s+-\\s+1\\s+50\\s+0\\s+0\\s+50$`));
  }, 60_000);

  it('says so in one line when no quota key has been used yet (--redis-url beats REDIS_URL)', async () => {
    const io = captureIo({ HOME: dir, REDIS_URL: 'redis://127.0.0.1:1' }, dir);
    expect(await quotasCommand.run(['--config', configFor(emptyPrefix), '--redis-url', testRedisUrl()], io)).toBe(0);
    expect(io.stdout).toBe('No quota key has been used yet: worker hosts record one when they first call Bedrock for a model.\n');
  });

  it('exits 1 naming the URL when Redis is unreachable', async () => {
    const io = captureIo({ HOME: dir }, dir);
    expect(await quotasCommand.run(['--config', configFor(emptyPrefix), '--redis-url', 'redis://127.0.0.1:1'], io)).toBe(1);
    expect(io.stderr).toContain('Redis is unreachable at redis://127.0.0.1:1');
  });

  it('exits 2 on an unknown flag or a bad --redis-url, with its usage', async () => {
    const unknown = await run(['quotas', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain("'--bogus'");
    expect(unknown.output).toContain('Usage: turnpool quotas');
    const badUrl = await run(['quotas', '--redis-url', 'http://localhost:6379']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.output).toContain('--redis-url must be a redis:// or rediss:// URL');
  }, 60_000);
});
