import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  noAwsCredentialsEnv,
  spawnTurnpool,
  startRedisServer,
  uniquePrefix,
  type OwnRedisServer,
  type TurnpoolProcess,
} from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// A stop always ends within the grace period, whatever state Redis is in: with Redis gone the
// processes give up on what they cannot flush, say so in one line and exit 1.
describe('SIGTERM with Redis unreachable (real processes, a private redis-server)', () => {
  let server: OwnRedisServer;
  const spawned: TurnpoolProcess[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(spawned.map((p) => p.stop('SIGKILL')));
    await server?.close();
  });

  it('worker, dispatcher and start exit 1 after the grace period with one line saying what they gave up', async () => {
    const env = {
      ...noAwsCredentialsEnv,
      REDIS_URL: server.url,
      TURNPOOL_REDIS_URL: '',
      TURNPOOL_KEY_PREFIX: uniquePrefix('stop'),
      TURNPOOL_SHUTDOWN_GRACE_MS: '2000',
    };
    const procs = {
      worker: spawnTurnpool(turnpoolBin, ['worker', '--emulator'], env),
      dispatcher: spawnTurnpool(turnpoolBin, ['dispatcher', '--port', '0', '--emulator'], env),
      start: spawnTurnpool(turnpoolBin, ['start', '--port', '0'], env),
    };
    spawned.push(...Object.values(procs));
    await Promise.all([
      procs.worker.waitFor(/worker host \S+ ready/, 90_000),
      procs.dispatcher.waitFor(/dispatcher listening on/, 90_000),
      procs.start.waitFor(/turnpool is running/, 90_000),
    ]);
    await server.stop();
    for (const p of Object.values(procs)) p.child.kill('SIGTERM');
    // A bound for "the stop ends" (grace 2 s), not a speed measure: before, the worker never exited.
    const codes = await Promise.all(Object.values(procs).map((p) => p.exitWithin(30_000)));
    expect(codes).toEqual([1, 1, 1]);

    const failureLines = (p: TurnpoolProcess, name: string) =>
      p
        .output()
        .split('\n')
        .filter((l) => l.startsWith(`turnpool ${name}:`));
    const gaveUp =
      'worker host: gave up on the queue connection(, [^;]+)?( and [^;]+)? at the end of the 2 s grace period \\(last Redis error: [^)]*ECONNREFUSED[^)]*\\)';
    const dropped = 'dispatcher: Redis was unreachable at the stop \\([^)]+\\): its connections were dropped';
    for (const [name, pattern] of [
      ['worker', gaveUp],
      ['dispatcher', dropped],
      ['start', `${dropped}; ${gaveUp}`],
    ] as const) {
      const lines = failureLines(procs[name], name);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^turnpool ${name}: stopped without closing cleanly: ${pattern}$`));
    }
  }, 180_000);
});
