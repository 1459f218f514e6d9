import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, noAwsCredentialsEnv, spawnTurnpool, testRedisUrl, uniquePrefix, type TurnpoolProcess } from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// A port another process holds ends the command: exit 1 and one line naming the port and the
// flag to change it — never an EADDRINUSE stack and a process that lives on.
describe('a taken port (real processes)', () => {
  const prefix = uniquePrefix('port');
  const env = { ...noAwsCredentialsEnv, REDIS_URL: testRedisUrl(), TURNPOOL_REDIS_URL: '', TURNPOOL_KEY_PREFIX: prefix };
  const spawned: TurnpoolProcess[] = [];
  const spawn = (args: string[], extra: Record<string, string> = {}) => {
    const p = spawnTurnpool(turnpoolBin, args, { ...env, ...extra });
    spawned.push(p);
    return p;
  };
  let blocker: net.Server;
  let port = 0;

  beforeAll(async () => {
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all(spawned.map((p) => p.stop('SIGKILL')));
    await new Promise((resolve) => blocker.close(resolve));
    const redis = new Redis(testRedisUrl());
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('dispatcher, start and emulator exit 1 with one line naming the port and --port', async () => {
    const cases = [
      { p: spawn(['dispatcher', '--port', String(port), '--emulator']), name: 'dispatcher', what: 'the dispatcher' },
      { p: spawn(['start', '--port', String(port)]), name: 'start', what: 'the dispatcher' },
      { p: spawn(['emulator', '--port', String(port)]), name: 'emulator', what: 'the emulator' },
    ];
    // A bound for "exits rather than hangs", not a speed measure.
    expect(await Promise.all(cases.map((c) => c.p.exitWithin(90_000)))).toEqual([1, 1, 1]);
    for (const { p, name, what } of cases) {
      const errors = p
        .output()
        .split('\n')
        .filter((l) => l.startsWith(`turnpool ${name}:`));
      expect(errors).toEqual([
        `turnpool ${name}: ${what} cannot listen on 127.0.0.1:${port}: the port is in use (EADDRINUSE); choose another ` +
          (name === 'emulator' ? '--port (0 = any free port) or --host' : 'with --port (0 = any free port) or set dispatcher.port'),
      ]);
      expect(p.output()).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 120_000);

  it('start moves its in-process emulator off a taken emulator.port and says so', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-port-'));
    try {
      const config = path.join(dir, 'turnpool.json5');
      writeFileSync(config, `{ emulator: { port: ${port} } }\n`);
      const p = spawn(['start', '--port', '0'], { TURNPOOL_CONFIG: config });
      await p.waitFor(/turnpool is running/, 90_000);
      expect(p.output()).toMatch(
        new RegExp(
          `^No AWS credentials found: using the Bedrock emulator at http://127\\.0\\.0\\.1:(?!${port}\\b)\\d+, ` +
            `as port ${port} \\(config emulator\\.port\\) is in use`,
          'm',
        ),
      );
      expect(await p.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
