import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { startRedisCluster, type OwnRedisCluster } from './start-redis-cluster.ts';
import { tsxExecArgv } from './source-exec-argv.ts';

const answers = async (port: number) => {
  const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => {});
  try {
    await c.connect();
    return (await c.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
};

describe('startRedisCluster', () => {
  let cluster: OwnRedisCluster | undefined;
  afterAll(async () => cluster?.stop());

  it('runs 3 masters with a replica each that spread keys over all masters, and stop() ends every node', async () => {
    cluster = await startRedisCluster();
    expect(cluster.nodes).toHaveLength(6);
    expect(cluster.nodes.map((n) => n.port)).not.toContain(6379);
    const masters = await cluster.masterPorts();
    expect(masters).toHaveLength(3);
    const client = new Cluster(cluster.nodes.map((n) => ({ host: n.host, port: n.port })));
    try {
      for (let i = 0; i < 30; i++) await client.set(`k${i}`, String(i));
      for (const port of masters) {
        const node = cluster.connectNode(port);
        expect(Number(await node.dbsize())).toBeGreaterThan(0);
        node.disconnect();
      }
    } finally {
      client.disconnect();
    }
    const ports = cluster.nodes.map((n) => n.port);
    await cluster.stop();
    cluster = undefined;
    for (const p of ports) expect(await answers(p)).toBe(false);
  }, 60_000);

  it('its nodes die with the process that started them, even by kill -9', async () => {
    const child = spawn(
      process.execPath,
      [...tsxExecArgv, fileURLToPath(new URL('./test-support/hold-redis-cluster-child.ts', import.meta.url))],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    const ports = await new Promise<number[]>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORTS ([\d,]+)\n/.exec(out);
        if (m) resolve((m[1] ?? '').split(',').map(Number));
      });
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before starting the cluster`)));
    });
    expect(ports).toHaveLength(6);
    expect(await answers(ports[0] ?? 0)).toBe(true);
    child.kill('SIGKILL');
    let alive = ports;
    for (let i = 0; i < 100 && alive.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      alive = (await Promise.all(ports.map(async (p) => ((await answers(p)) ? p : 0)))).filter((p) => p > 0);
    }
    expect(alive).toEqual([]);
  }, 60_000);
});
