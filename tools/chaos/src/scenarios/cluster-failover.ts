import type { Cluster, Redis } from 'ioredis';
import { readSse, turnKeys } from '@turnpool/turn-store';
import { startRedisCluster, type OwnRedisCluster } from '@turnpool/testing';
import { startPool, type PoolOnRedis } from '../pool/start-pool.ts';
import { sleep, summarize } from '../stats.ts';
import { compareReceived, tallyTurns, type ReceivedTurn, type TurnTally } from './tally-turns.ts';

export interface ClusterFailoverOptions {
  /** Turns submitted just before each failover (they are mid-stream when it happens). @defaultValue 40 */
  turnsPerPhase?: number;
  /** Turns per phase, on the failed-over master, followed live over SSE through the failover. @defaultValue 4 */
  followed?: number;
  /** Output tokens per turn and pacing: a turn lasts about tokens / tokensPerSecond s. @defaultValue 150, 30 */
  tokens?: number;
  tokensPerSecond?: number;
  /** Worker host processes. @defaultValue 3 */
  workers?: number;
  /** `cluster-node-timeout`: how soon a killed master is failed over. @defaultValue 2000 */
  nodeTimeoutMs?: number;
  /** Streaming time before the failover, from when most turns on the master stream (at most 30 s after submit). @defaultValue 1500 */
  leadMs?: number;
  /** A new POST /v1/turns this often from the failover on, for probeWindowMs. @defaultValue 100, 8000 */
  probeEveryMs?: number;
  probeWindowMs?: number;
  settleMs?: number;
}

export type FailoverMode = 'failover' | 'kill';

export interface FailoverFigures {
  /** `failover` = CLUSTER FAILOVER sent to the replica; `kill` = SIGKILL of the master. */
  mode: FailoverMode;
  /** Turns of this phase whose slot lived on the failed-over master (of turnsPerPhase). */
  turnsOnVictim: number;
  /** The master also held the queue's `{prefix}` slot. */
  victimHeldQueue: boolean;
  /** Failover start (command sent / kill) -> the replica listed as a master (ms). */
  promotedAfterMs: number;
  /**
   * Per turn on that master streaming at the failover: the longest pause between two writes to its
   * stream (seen by polling its last event every 50 ms) from its last write before the failover on (ms).
   */
  writeStallMs: ReturnType<typeof summarize>;
  /** Per such turn: failover start -> the write ending that pause was seen (ms). */
  resumedAfterMs: ReturnType<typeof summarize>;
  /** POSTs sent during the probe window and their answers. */
  probes: number;
  probeStatuses: Record<string, number>;
  /** Failover start -> the send time of the last POST that was not answered 202 (0 when none failed) (ms). */
  submitsFailedForMs: number;
  probeAnswerMs: ReturnType<typeof summarize>;
}

export interface ClusterFailoverReport extends TurnTally {
  phases: FailoverFigures[];
  /** The dispatcher's `unexpected error` log lines (an answer 500 `internal`), first 5, 400 chars each: a failover must answer 503, never 500. */
  unexpectedErrors: string[];
  /** Live SSE followers: turns followed, reconnects after a stream-error / refused GET, events received. */
  followedTurns: number;
  subscriberResumes: number;
  eventsReceived: number;
  /** Against seq 1..n of each followed turn, and turns whose received events differ from the stream (must be 0). */
  gaps: number;
  duplicates: number;
  mismatched: number;
  durationMs: number;
}

const terminal = /^turn-(end|error|cancelled)$/;

/**
 * Scenario 10: turnpool on a private Redis Cluster (3 masters + 3 replicas), turns streaming from
 * several worker host processes; the master holding most of them is failed over to its replica,
 * first gracefully (CLUSTER FAILOVER on the replica), then by kill -9 (the replica takes over after
 * cluster-node-timeout). Every accepted turn must end exactly once with a gapless log, and SSE
 * followers of turns on that master must get every event once, in order (resuming by Last-Event-ID).
 */
export async function runClusterFailover(o: ClusterFailoverOptions = {}): Promise<ClusterFailoverReport> {
  const started = Date.now();
  let cluster: OwnRedisCluster | undefined;
  let pool: PoolOnRedis | undefined;
  try {
    cluster = await startRedisCluster({ nodeTimeoutMs: o.nodeTimeoutMs ?? 2000 });
    pool = await startPool({ redisUrl: cluster.url, workers: o.workers ?? 3 });
    const c = cluster;
    const p = pool;
    const accepted: string[] = [];
    const phases: FailoverFigures[] = [];
    const followers: Promise<ReceivedTurn>[] = [];
    let resumes = 0;
    for (const mode of ['failover', 'kill'] as const) {
      const ids = await Promise.all(
        Array.from({ length: o.turnsPerPhase ?? 40 }, (_, i) =>
          p.submit(`${mode} turn ${i} [[tokens ${o.tokens ?? 150}]] [[tokens-per-second ${o.tokensPerSecond ?? 30}]]`),
        ),
      );
      accepted.push(...ids);
      const owner = await mastersOf(c, [...ids.map((id) => turnKeys(p.prefix).events(id)), `{${p.prefix}}:turns:id`]);
      const queueMaster = owner.pop() ?? 0;
      const victim = mostCommon(owner);
      const onVictim = ids.filter((_, i) => owner[i] === victim);
      const replica = await syncedReplicaOf(c, victim);
      const stallsOf = watchWrites(
        p.redis,
        onVictim.map((id) => turnKeys(p.prefix).events(id)),
        50,
      );
      for (const id of onVictim.slice(0, o.followed ?? 4))
        followers.push(
          follow(p.dispatcherUrl, id, (o.settleMs ?? 120_000) + 30_000, () => {
            resumes++;
          }),
        );
      await untilStreaming(
        p.redis,
        onVictim.map((id) => turnKeys(p.prefix).events(id)),
        30_000,
      );
      await sleep(o.leadMs ?? 1500);
      const at = Date.now();
      if (mode === 'failover') {
        const r = c.connectNode(replica);
        try {
          await r.cluster('FAILOVER');
        } finally {
          r.disconnect();
        }
      } else await c.nodes.find((n) => n.port === victim)?.stop(true);
      const promoted = (async () => {
        for (let i = 0; i < 600; i++) {
          if ((await c.masterPorts().catch((): number[] => [])).includes(replica)) return Date.now() - at;
          await sleep(50);
        }
        return -1;
      })();
      const probes: { sentAt: number; status: number; ms: number }[] = [];
      const inflight: Promise<void>[] = [];
      for (let n = 0; Date.now() - at < (o.probeWindowMs ?? 8000) && n < 10_000; n++) {
        const sentAt = Date.now();
        inflight.push(
          p.submit(`${mode} probe ${n} [[tokens 20]]`).then(
            (id) => {
              accepted.push(id);
              probes.push({ sentAt, status: 202, ms: Date.now() - sentAt });
            },
            (err: Error) => {
              const status = Number(/answered (\d+)/.exec(err.message)?.[1] ?? 0);
              probes.push({ sentAt, status, ms: Date.now() - sentAt });
            },
          ),
        );
        await sleep(o.probeEveryMs ?? 100);
      }
      await Promise.all(inflight);
      // Watch the writes until the replica is a master and a moment after (a kill's election can
      // outlast the probe window: stopping the watch before it would see no write resume).
      const promotedAfterMs = await promoted;
      await sleep(1500);
      const streaming = await stallsOf(at);
      const open = await p.waitForTerminal(accepted, o.settleMs ?? 120_000);
      if (open.length > 0) throw new Error(`${open.length} accepted turns did not end after the ${mode}: ${open.slice(0, 5).join(', ')}`);
      const failedProbes = probes.filter((x) => x.status !== 202);
      const statuses: Record<string, number> = {};
      for (const x of probes) statuses[String(x.status)] = (statuses[String(x.status)] ?? 0) + 1;
      phases.push({
        mode,
        turnsOnVictim: onVictim.length,
        victimHeldQueue: queueMaster === victim,
        promotedAfterMs,
        writeStallMs: summarize(streaming.map((s) => s.gapMs)),
        resumedAfterMs: summarize(streaming.map((s) => s.resumedAt - at)),
        probes: probes.length,
        probeStatuses: statuses,
        submitsFailedForMs: failedProbes.length === 0 ? 0 : Math.max(...failedProbes.map((x) => x.sentAt)) - at,
        probeAnswerMs: summarize(probes.map((x) => x.ms)),
      });
    }
    // No process may die of a failover (a Cluster's unheard 'error' event once killed the dispatcher).
    for (const child of [p.dispatcher, ...p.hosts]) {
      const exit = child?.child.exitCode ?? child?.child.signalCode ?? null;
      if (exit !== null)
        throw new Error(
          `a turnpool process exited (${exit}) during the failovers; its last output:\n${child?.output().slice(-3000) ?? ''}`,
        );
    }
    const unexpectedErrors = p
      .logs()
      .split('\n')
      .filter((line) => line.includes('unexpected error'))
      .map((line) => line.slice(0, 400));
    const got = await Promise.all(followers);
    const { tally, logs } = await tallyTurns(p, accepted);
    const { gaps, duplicates, mismatched } = compareReceived(got, logs);
    return {
      ...tally,
      phases,
      unexpectedErrors: unexpectedErrors.slice(0, 5),
      followedTurns: got.length,
      subscriberResumes: resumes,
      eventsReceived: got.reduce((a, f) => a + f.seqs.length, 0),
      gaps,
      duplicates,
      mismatched,
      durationMs: Date.now() - started,
    };
  } finally {
    await pool?.close();
    await cluster?.stop();
  }
}

/**
 * Follows a turn over SSE to its terminal event as a client would: after a `stream-error` frame, a
 * stream that ends early, a refused GET or a dropped connection it reconnects with Last-Event-ID.
 */
async function follow(dispatcherUrl: string, turnId: string, timeoutMs: number, onResume: () => void): Promise<ReceivedTurn> {
  const out = { turnId, seqs: [] as number[], raw: [] as string[] };
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.now();
  // What each connection did (for the error when the follower gives up): start ms, answer, frames, how it ended.
  const rounds: string[] = [];
  for (let round = 0; Date.now() < deadline; round++) {
    if (round > 0) {
      onResume();
      await sleep(200);
    }
    const last = out.seqs.at(-1) ?? 0;
    try {
      const res = await fetch(`${dispatcherUrl}/v1/turns/${turnId}/events`, {
        headers: last > 0 ? { 'last-event-id': String(last) } : {},
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      if (res.status !== 200 || !res.body) {
        rounds.push(`+${Date.now() - t0}:${res.status}`);
        await res.body?.cancel();
        continue;
      }
      let frames = 0;
      let how = 'closed';
      for await (const f of readSse(res.body)) {
        if (f.event === 'stream-error') {
          how = `stream-error ${f.data.slice(0, 120)}`;
          break;
        }
        const e = JSON.parse(f.data) as { seq: number; type: string };
        frames++;
        out.seqs.push(e.seq);
        out.raw.push(f.data);
        if (terminal.test(e.type)) return out;
      }
      rounds.push(`+${Date.now() - t0}:after ${last}, ${frames} frames, ${how}`);
    } catch (err) {
      // connection refused or dropped: reconnect
      rounds.push(`+${Date.now() - t0}:${(err as Error).message.slice(0, 80)}`);
    }
  }
  throw new Error(
    `SSE follower of ${turnId} did not see a terminal event in ${timeoutMs} ms (last seq ${out.seqs.at(-1) ?? 0}; connections: ${(rounds.length > 12 ? [...rounds.slice(0, 6), '…', ...rounds.slice(-6)] : rounds).join(' | ')})`,
  );
}

interface Stall {
  gapMs: number;
  resumedAt: number;
}

/**
 * Watches the last event of each stream every `everyMs` until `stop()`: then, per turn that was
 * streaming at `at` (started, not ended), the longest pause between two seen writes from its last
 * write before `at` on, and when the write ending that pause was seen. A read that fails (the
 * slot's master going away) just misses that round.
 */
function watchWrites(redis: Redis | Cluster, keys: readonly string[], everyMs: number) {
  const seen = keys.map(() => [] as { t: number; seq: number; type: string }[]);
  let on = true;
  const done = (async () => {
    while (on) {
      const t = Date.now();
      const last = await Promise.all(keys.map((k) => redis.xrevrange(k, '+', '-', 'COUNT', 1).catch(() => undefined)));
      last.forEach((entries, i) => {
        const json = entries?.[0]?.[1]?.[1];
        if (json === undefined) return;
        const e = JSON.parse(json) as { seq: number; type: string };
        const changes = seen[i];
        if (changes && changes.at(-1)?.seq !== e.seq) changes.push({ t, seq: e.seq, type: e.type });
      });
      await sleep(everyMs);
    }
  })();
  return async (at: number): Promise<Stall[]> => {
    on = false;
    await done;
    const out: Stall[] = [];
    for (const changes of seen) {
      let before = -1;
      while (before + 1 < changes.length && (changes[before + 1]?.t ?? 0) < at) before++;
      const lastBefore = changes[before];
      if (!lastBefore || terminal.test(lastBefore.type) || before === changes.length - 1) continue;
      let best: Stall = { gapMs: -1, resumedAt: 0 };
      for (let i = before + 1; i < changes.length; i++) {
        const gap = (changes[i]?.t ?? 0) - (changes[i - 1]?.t ?? 0);
        if (gap > best.gapMs) best = { gapMs: gap, resumedAt: changes[i]?.t ?? 0 };
      }
      out.push(best);
    }
    return out;
  };
}

/** Resolves when most of the streams have events and have not ended (a cold host may take seconds to start its first turns), or after `timeoutMs`. */
async function untilStreaming(redis: Redis | Cluster, keys: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const last = await Promise.all(keys.map((k) => redis.xrevrange(k, '+', '-', 'COUNT', 1).catch(() => undefined)));
    const streaming = last.filter((entries) => {
      const json = entries?.[0]?.[1]?.[1];
      return json !== undefined && !terminal.test((JSON.parse(json) as { type: string }).type);
    });
    if (streaming.length * 2 >= keys.length) return;
    await sleep(50);
  }
}

/** The port of the master serving each key's slot now. */
async function mastersOf(cluster: OwnRedisCluster, keys: readonly string[]): Promise<number[]> {
  const node = cluster.connectNode((await cluster.masterPorts())[0] ?? 0);
  try {
    const ranges = await node.cluster('SLOTS');
    const slots = await Promise.all(keys.map((k) => node.cluster('KEYSLOT', k)));
    // Each range: [from, to, [master host, port, id, …], …replicas].
    return slots.map((s) => ranges.find(([from, to]) => s >= from && s <= to)?.[2]?.[1] ?? 0);
  } finally {
    node.disconnect();
  }
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/** A replica of `masterPort` once its replication link is up (a replica that has not synced cannot take over). */
async function syncedReplicaOf(cluster: OwnRedisCluster, masterPort: number): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const port = await cluster.replicaOf(masterPort).catch(() => 0);
    if (port > 0) {
      const r = cluster.connectNode(port);
      r.on('error', () => {});
      const info = await r.info('replication').catch(() => '');
      r.disconnect();
      if (/master_link_status:up/.test(info)) return port;
    }
    await sleep(100);
  }
  throw new Error(`no synced replica of ${masterPort}`);
}
