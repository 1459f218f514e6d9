import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { freePort } from './free-port.ts';
import { spawnRedisServer } from './spawn-redis-server.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One `redis-server` of an {@link OwnRedisCluster}. */
export interface OwnClusterNode {
  host: string;
  port: number;
  /** Kills this node (SIGKILL with `hard`, else SIGTERM) and waits for its exit. */
  stop(hard?: boolean): Promise<void>;
}

export interface OwnRedisCluster {
  /** Every node (3 masters and their replicas as created; roles change on failover). */
  nodes: OwnClusterNode[];
  /** `redis+cluster://127.0.0.1:<p1>,…` — the seed URL turnpool's config takes (libs/redis-connect). */
  url: string;
  /** A Cluster client of this cluster (tests of libs that cannot import libs/redis-connect); the caller disconnects it. */
  client(options?: ClusterOptions): Cluster;
  /** A plain connection to one node (for CLUSTER / INFO commands); the caller disconnects it. */
  connectNode(port: number): Redis;
  /** Ports of the nodes that are masters now (asked of a live node). */
  masterPorts(): Promise<number[]>;
  /** The port of a replica of the master on `masterPort` (asked of a live node); throws when it has none. */
  replicaOf(masterPort: number): Promise<number>;
  /** Stops every node for good and removes their directories. */
  stop(): Promise<void>;
}

/**
 * A private Redis Cluster on free ports: 6 `redis-server --cluster-enabled yes` processes,
 * joined by `redis-cli --cluster create … --cluster-replicas 1` into 3 masters with one replica
 * each, returned once every node reports `cluster_state:ok` sees the 3 replicas, and every replica has synced. The nodes die with
 * the test process (spawnRedisServer) and `stop()` removes everything; a failed start stops
 * what it started before throwing. Never touches the shared server on 6379.
 * `nodeTimeoutMs` is `cluster-node-timeout` (how soon a dead master is failed over).
 */
export async function startRedisCluster(opts: { nodeTimeoutMs?: number } = {}): Promise<OwnRedisCluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'turnpool-test-cluster-'));
  const nodes: OwnClusterNode[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => n.stop(true)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    while (ports.length < 6) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    for (const port of ports) {
      const dir = path.join(root, String(port));
      mkdirSync(dir);
      const child = spawnRedisServer([
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--dir', dir,
        '--save', '',
        '--appendonly', 'no',
        '--cluster-enabled', 'yes',
        '--cluster-config-file', 'nodes.conf',
        '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 2000),
      ]); // prettier-ignore
      nodes.push({
        host: '127.0.0.1',
        port,
        stop: async (hard = false) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill(hard ? 'SIGKILL' : 'SIGTERM');
          await exited;
        },
      });
    }
    for (const port of ports) await waitFor(port, (c) => c.ping().then((r) => r === 'PONG'), `node ${port} did not start`);
    const cli = process.env['REDIS_CLI_BIN'] ?? 'redis-cli';
    await run(cli, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    });
    for (const port of ports) {
      await waitFor(
        port,
        async (c) => {
          const info = await c.cluster('INFO');
          if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return false;
          const replicas = String(await c.cluster('NODES'))
            .split('\n')
            .filter((l: string) => /\bslave\b/.test(l));
          return replicas.length === 3;
        },
        `node ${port} did not reach cluster_state:ok`,
      );
    }
    // A replica that has not synced yet cannot take over from its master (a kill -9 then leaves
    // its slots down for good): wait until every replica's link to its master is up.
    for (const port of ports) {
      await waitFor(
        port,
        async (c) => {
          const info = String(await c.info('replication'));
          return /role:master/.test(info) || /master_link_status:up/.test(info);
        },
        `replica ${port} did not sync with its master`,
      );
    }
    const connectNode = (port: number) => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
    /** `CLUSTER NODES` of the first node that answers. */
    const clusterNodes = async () => {
      for (const n of nodes) {
        const c = connectNode(n.port);
        c.on('error', () => {});
        try {
          return String(await c.cluster('NODES'));
        } catch {
          // this node is down: ask the next one
        } finally {
          c.disconnect();
        }
      }
      throw new Error('no cluster node answers');
    };
    return {
      nodes,
      client: (options) =>
        new Cluster(
          ports.map((port) => ({ host: '127.0.0.1', port })),
          options,
        ),
      url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
      connectNode,
      masterPorts: async () => parseMasters(await clusterNodes()),
      async replicaOf(masterPort) {
        const lines = (await clusterNodes()).split('\n').map((l) => l.split(' '));
        const id = lines.find((f) => (f[1] ?? '').includes(`:${masterPort}@`))?.[0];
        const replica = lines.find((f) => id !== undefined && f[3] === id && !/fail/.test(f[2] ?? ''));
        const port = Number(/:(\d+)@/.exec(replica?.[1] ?? '')?.[1]);
        if (!port) throw new Error(`no replica of ${masterPort}`);
        return port;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Ports of the live masters in `CLUSTER NODES` output. */
function parseMasters(text: string): number[] {
  return text
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length > 2 && /(^|,)master(,|$)/.test(f[2] ?? '') && !/fail/.test(f[2] ?? ''))
    .map((f) => Number(/:(\d+)@/.exec(f[1] ?? '')?.[1]))
    .filter((p) => p > 0)
    .sort((a, b) => a - b);
}

async function waitFor(port: number, ok: (c: Redis) => Promise<boolean>, message: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => {});
    try {
      await c.connect();
      if (await ok(c)) return;
    } catch {
      // not up yet: try again
    } finally {
      c.disconnect();
    }
    await sleep(50);
  }
  throw new Error(message);
}
