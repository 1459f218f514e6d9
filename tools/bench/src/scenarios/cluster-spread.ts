import { Redis } from 'ioredis';
import { createRedis } from '@turnpool/redis-connect';
import { startRedisCluster } from '@turnpool/testing';
import { createTurnWriter } from '@turnpool/turn-store';
import { readRedisInfo } from '../bench-stack.ts';
import { mapLimit, type ResultTable, type ScenarioContext, type ScenarioResult } from '../scenario.ts';

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) if (v - (a[k] ?? 0) > 0) out[k] = v - (a[k] ?? 0);
  return out;
}

/**
 * Scenario cluster: the same turn-stream load — `turns` turns of `events` events each, written by
 * turn writers on one connection (a worker thread's), 20 turns at a time — on the bench's
 * one redis-server and on a private Redis Cluster (3 masters, a replica each). Per node, from
 * INFO commandstats: commands, script calls (one per published batch), XADDs and publishes
 * (run inside the scripts), and each master's share of the stream traffic. The load is the
 * writer's alone (no BullMQ), so the shares are the turn streams' (docs/architecture.md, "Key layout").
 */
export async function clusterSpread(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  const turns = quick ? 60 : 300;
  const events = 40;
  const rows: ResultTable['rows'] = [];
  const data: Record<string, unknown> = {};
  const load = async (redis: Redis | ReturnType<typeof createRedis>, prefix: string) => {
    await mapLimit(
      Array.from({ length: turns }, (_, i) => i),
      20,
      async (i) => {
        const w = await createTurnWriter({ redis, keyPrefix: prefix, turnId: `s-${i}` });
        for (let e = 0; e < events; e++) await w.write({ type: 'text-delta', index: 0, text: `w${e} ` } as never);
        await w.write({ type: 'turn-error', code: 'internal_error', message: 'bench end', retryable: false } as never);
      },
    );
  };

  // One node: the bench's own redis-server.
  {
    const prefix = stack.prefix('cluster-spread');
    const conn = new Redis(stack.redisUrl, { enableAutoPipelining: false });
    try {
      ctx.log(`cluster spread: one node, ${turns} turns`);
      const a = await readRedisInfo(stack.redis);
      await load(conn, prefix);
      const b = await readRedisInfo(stack.redis);
      const d = diff(a.commandCalls, b.commandCalls);
      delete d['info'];
      rows.push(['one node', 'the node', sum(d), d['evalsha'] ?? 0, d['xadd'] ?? 0, (d['publish'] ?? 0) + (d['spublish'] ?? 0), 100]);
      data['one node'] = { commands: d };
    } finally {
      conn.disconnect();
      await stack.cleanup(prefix);
    }
  }

  // A Redis Cluster: 3 masters.
  const cluster = await startRedisCluster();
  const conn = createRedis(cluster.url, { enableAutoPipelining: false });
  try {
    ctx.log(`cluster spread: Redis Cluster, ${turns} turns`);
    const masters = await cluster.masterPorts();
    const nodes = masters.map((port) => cluster.connectNode(port));
    const before = await Promise.all(nodes.map((n) => readRedisInfo(n)));
    await load(conn, 'cluster-spread');
    const after = await Promise.all(nodes.map((n) => readRedisInfo(n)));
    const per = masters.map((port, i) => {
      const d = diff(before[i]?.commandCalls ?? {}, after[i]?.commandCalls ?? {});
      delete d['info'];
      delete d['cluster|slots'];
      delete d['cluster|info'];
      return { port, d };
    });
    const totalX = per.reduce((s, p) => s + (p.d['xadd'] ?? 0), 0);
    for (const [i, p] of per.entries()) {
      rows.push([
        'Redis Cluster',
        `master ${i + 1}`,
        sum(p.d),
        p.d['evalsha'] ?? 0,
        p.d['xadd'] ?? 0,
        (p.d['publish'] ?? 0) + (p.d['spublish'] ?? 0),
        pct(p.d['xadd'] ?? 0, totalX),
      ]);
    }
    data['cluster'] = per.map((p) => ({ commands: p.d }));
    for (const n of nodes) n.disconnect();
  } finally {
    conn.disconnect();
    await cluster.stop();
  }

  const shares = rows.filter((r) => r[0] === 'Redis Cluster').map((r) => Number(r[6]));
  const spread = shares.length > 0 ? Math.max(...shares) - Math.min(...shares) : 0;
  return {
    id: 'cluster',
    title: 'Turn streams on one node vs a Redis Cluster',
    setup: `${turns} turns × ${events + 1} events, 20 turns at a time, turn writers on one connection; the same load on one redis-server and on a local 3-master Redis Cluster (each master a replica; all on this machine)`,
    tables: [
      {
        title: 'Redis commands per node (INFO commandstats; XADD and (S)PUBLISH run inside the publish script)',
        headers: ['Redis', 'node', 'commands', 'script calls', 'XADD', 'publishes', 'share of XADD %'],
        rows,
      },
    ],
    notes: [
      'On one node one script call carries the batches of every turn written in the same linger window; on a cluster each turn has its own slot, so each batch is its own call: more script calls in all (here about one per event, as each writer awaits each write), spread over the masters. Grouping the batches of one node in one call would need a script flagged allow-cross-slot-keys (Redis 7); not done.',
    ],
    targets: [
      {
        target: 'each master carries an even share of the turn-stream traffic (within a few percent)',
        measured: `shares ${shares.join(' / ')} %, max − min ${Math.round(spread * 10) / 10} points`,
        met: spread <= 10,
        ...(spread > 10
          ? { cause: `${turns} turns hashed over 16384 slots: the spread is sampling noise of the slot hash at this size` }
          : {}),
      },
    ],
    data,
  };
}
