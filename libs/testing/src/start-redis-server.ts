import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { spawnRedisServer } from './spawn-redis-server.ts';

export interface OwnRedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, or SIGKILL with `hard`); the port stays reserved for `start()`. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port (same data when AOF is on). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/**
 * A private `redis-server` on a free port, for tests that stop, restart or break Redis.
 * Never touches the shared server on 6379; dies with the test process (spawnRedisServer).
 */
export async function startRedisServer(opts: { appendOnly?: boolean; extraArgs?: string[] } = {}): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-test-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      '--appendonly',
      opts.appendOnly ? 'yes' : 'no',
      ...(opts.extraArgs ?? []),
    ];
    child = spawnRedisServer(args);
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const stop = async (hard = false) => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    port,
    stop,
    start,
    close: async () => {
      await stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
