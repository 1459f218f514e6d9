import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEmulator } from '@turnpool/bedrock-emulator';
import { cleanupPrefix, noAwsCredentialsEnv, spawnTurnpool, testRedisUrl, uniquePrefix, type TurnpoolProcess } from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// A production host never serves the emulator: an EC2 host whose IMDS probe timed out at boot
// must stop, not answer users with generated words. Only `turnpool start` falls back on its own
// (start-and-chat.integration.test.ts); `worker` and `dispatcher` need --emulator or an endpoint.
describe('turnpool worker / dispatcher without AWS credentials (real processes)', () => {
  const prefix = uniquePrefix('nocreds');
  const env = { ...noAwsCredentialsEnv, REDIS_URL: testRedisUrl(), TURNPOOL_REDIS_URL: '', TURNPOOL_KEY_PREFIX: prefix };
  const spawned: TurnpoolProcess[] = [];
  const spawn = (args: string[], extra: Record<string, string> = {}) => {
    const p = spawnTurnpool(turnpoolBin, args, { ...env, ...extra });
    spawned.push(p);
    return p;
  };

  afterAll(async () => {
    await Promise.all(spawned.map((p) => p.stop('SIGKILL')));
    const redis = new Redis(testRedisUrl());
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('exit 1 with one line naming what was looked for and docs/models.md, and never start the emulator', async () => {
    const procs = [spawn(['worker']), spawn(['dispatcher', '--port', '0'])];
    // A bound for "exits rather than serves", not a speed measure.
    const codes = await Promise.all(procs.map((p) => p.exitWithin(90_000)));
    expect(codes).toEqual([1, 1]);
    for (const [i, name] of ['worker', 'dispatcher'].entries()) {
      const lines = procs[i]!.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^turnpool ${name}: no AWS credentials found \\(looked for AWS_BEARER_TOKEN_BEDROCK, ` +
            'AWS_ACCESS_KEY_ID \\+ AWS_SECRET_ACCESS_KEY, AWS_PROFILE, .*an EC2 instance role; IMDS probe skipped: AWS_EC2_METADATA_DISABLED=true\\)',
        ),
      );
      expect(lines[0]).toContain('docs/models.md');
      expect(lines[0]).toContain('--emulator');
      expect(procs[i]!.output()).not.toMatch(/emulator at http/);
    }
  }, 120_000);

  it('run on the emulator with --emulator (said in one line), or against TURNPOOL_BEDROCK_ENDPOINT without one', async () => {
    const external = await startEmulator({ port: 0 });
    try {
      const onEmulator = spawn(['worker', '--emulator']);
      const pointed = spawn(['dispatcher', '--port', '0'], { TURNPOOL_BEDROCK_ENDPOINT: external.url });
      await Promise.all([onEmulator.waitFor(/worker host \S+ ready/, 90_000), pointed.waitFor(/dispatcher listening on/, 90_000)]);
      expect(onEmulator.output()).toMatch(/^Using the Bedrock emulator at http:\/\/127\.0\.0\.1:\d+/m);
      expect(pointed.output()).not.toMatch(/emulator/i);
      // With Redis up a stop is clean: exit 0 (also right after the ready line: the handler is installed before it).
      expect(await Promise.all([onEmulator.stop('SIGTERM'), pointed.stop('SIGTERM')])).toEqual([0, 0]);
    } finally {
      await external.close();
    }
  }, 120_000);
});
