import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  cleanupPrefix,
  freePort,
  noAwsCredentialsEnv,
  spawnTurnpool,
  testRedisUrl,
  uniquePrefix,
  type TurnpoolProcess,
} from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// Loaded into the child before the CLI: at exit it prints how many AWS SDK client modules its
// main thread loaded (CommonJS, so they are in require.cache; worker threads have their own).
const probe = [
  "import { createRequire } from 'node:module';",
  // (A data: URL is no base for createRequire; the cache is one per thread whatever the base.)
  'const cache = createRequire(`${process.cwd()}/`).cache;',
  "process.on('exit', () => process.stderr.write(`aws-sdk-clients-loaded: ${Object.keys(cache).filter((k) => /[/\\\\]@aws-sdk[/\\\\]client-bedrock/.test(k)).length}\\n`));",
].join('\n');
const withProbe = { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(probe)}` };
const loadedCount = (out: string) => Number(/aws-sdk-clients-loaded: (\d+)/.exec(out)?.[1] ?? 'NaN');

// The worker host's main thread only coordinates (BullMQ, piscina, cancel routing): the AWS SDK
// belongs in its threads. Loading it there anyway was the largest part of a `turnpool worker`
// start (docs/benchmarks.md §11).
describe('turnpool worker start: what the main thread loads (real processes)', () => {
  const prefix = uniquePrefix('startmods');
  const spawned: TurnpoolProcess[] = [];
  afterAll(async () => {
    await Promise.all(spawned.map((p) => p.stop('SIGKILL')));
    const redis = new Redis(testRedisUrl());
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('a worker host is ready (and stops) without its main thread loading the Bedrock SDK clients', async () => {
    // Nothing listens there: nothing may call Bedrock before the ready line.
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const env = {
      ...noAwsCredentialsEnv,
      ...withProbe,
      AWS_ACCESS_KEY_ID: 'AKIDSTARTMODS',
      AWS_SECRET_ACCESS_KEY: 'start-mods-secret',
      AWS_REGION: 'us-east-1',
      TURNPOOL_BEDROCK_ENDPOINT: endpoint,
      TURNPOOL_KEY_PREFIX: prefix,
    };
    const worker = spawnTurnpool(turnpoolBin, ['worker', '--redis-url', testRedisUrl(), '--log-level', 'warn'], env);
    spawned.push(worker);
    await worker.waitFor(/worker host \S+ ready/, 90_000);
    expect(await worker.stop()).toBe(0);
    expect(loadedCount(worker.output())).toBe(0);

    // The probe sees the SDK where a command does load it: `turnpool credentials` calls
    // ListFoundationModels from the main thread (it fails here, nothing listens; exit 1).
    const credentials = spawnTurnpool(turnpoolBin, ['credentials'], env);
    spawned.push(credentials);
    expect(await credentials.exitWithin(90_000)).toBe(1);
    expect(loadedCount(credentials.output())).toBeGreaterThan(0);
  }, 200_000);
});
