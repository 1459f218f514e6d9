import type { LoggedEvent } from '../check-turn-log.ts';
import { turnKeys } from '@turnpool/turn-store';
import { startPool, type ChaosPool } from '../pool/start-pool.ts';
import { seededRandom, sleep, summarize } from '../stats.ts';
import { tallyTurns, type TurnTally } from './tally-turns.ts';

export interface HostCrashOptions {
  /** Turns submitted (all at once). @defaultValue 60 */
  turns?: number;
  /** kill -9 rounds (each kills one random host among those running turns, then restarts it). @defaultValue 3 */
  kills?: number;
  /** Pause between kills. @defaultValue 3000 */
  killEveryMs?: number;
  /** Output tokens per turn and pacing: a turn lasts about tokens / tokensPerSecond s. @defaultValue 150, 30 */
  tokens?: number;
  tokensPerSecond?: number;
  /** Worker host processes. @defaultValue 3 */
  workers?: number;
  /** How long to wait for every turn to end after the last kill. @defaultValue 120000 */
  settleMs?: number;
  seed?: number;
}

export interface HostCrashReport extends TurnTally {
  kills: number;
  /** Turns that were running on a killed host and resumed on another attempt. */
  resumed: number;
  /** kill -9 -> first event of the turn's next attempt (ms); lock 5 s + stalled check 2 s by default. */
  recoveryMs: ReturnType<typeof summarize>;
  durationMs: number;
  seed: number;
}

/** The process id in a `turn-start` event's `worker` (`host:pid/tN`). */
export const pidOf = (worker: unknown) => (typeof worker === 'string' ? /:(\d+)\//.exec(worker)?.[1] : undefined);

/**
 * Scenario 1: turns in flight across worker host processes; kill -9 random hosts repeatedly
 * (restarting each); every accepted turn must end exactly once with a gapless log.
 */
export async function runHostCrashes(o: HostCrashOptions = {}): Promise<HostCrashReport> {
  const seed = o.seed ?? Date.now() % 100_000;
  const rnd = seededRandom(seed);
  const started = Date.now();
  const pool = await startPool({ workers: o.workers ?? 3 });
  try {
    const text = (i: number) => `crash turn ${i} [[tokens ${o.tokens ?? 150}]] [[tokens-per-second ${o.tokensPerSecond ?? 30}]]`;
    const ids = await Promise.all(Array.from({ length: o.turns ?? 60 }, (_, i) => pool.submit(text(i))));
    const killedAt = new Map<string, number>();
    const restarts: Promise<unknown>[] = [];
    for (let k = 0; k < (o.kills ?? 3); k++) {
      await sleep(o.killEveryMs ?? 3000);
      const live = pool.hosts.map((h, slot) => ({ h, slot })).filter((x) => x.h !== undefined);
      // A random host among those running turns right now (a kill of an idle host proves nothing).
      const busy = await busyPids(pool, ids);
      const busyLive = live.filter((x) => busy.has(String(x.h?.child.pid)));
      const from = busyLive.length > 0 ? busyLive : live;
      const pick = from[Math.floor(rnd() * from.length)];
      if (!pick?.h) continue;
      killedAt.set(String(pick.h.child.pid), Date.now());
      await pool.stopHost(pick.slot, 'SIGKILL');
      restarts.push(pool.startHost(pick.slot));
    }
    await Promise.all(restarts);
    const open = await pool.waitForTerminal(ids, o.settleMs ?? 120_000);
    const { tally, logs } = await tallyTurns(pool, ids);
    const recovery: number[] = [];
    for (const log of logs.values()) recovery.push(...recoveryTimes(log, killedAt));
    if (open.length !== tally.lost) throw new Error(`internal: ${open.length} open vs ${tally.lost} lost`);
    return {
      ...tally,
      kills: killedAt.size,
      resumed: recovery.length,
      recoveryMs: summarize(recovery),
      durationMs: Date.now() - started,
      seed,
    };
  } finally {
    await pool.close();
  }
}

/** For each attempt that ran on a killed host and was followed by another attempt: next attempt's first event ts - kill time. */
export function recoveryTimes(log: readonly LoggedEvent[], killedAt: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  let killed: number | undefined;
  let attempt = 0;
  for (const e of log as (LoggedEvent & { worker?: unknown; ts?: number })[]) {
    if (e.attempt > attempt) {
      if (killed !== undefined && typeof e.ts === 'number') out.push(e.ts - killed);
      killed = undefined;
      attempt = e.attempt;
    }
    if (e.type === 'turn-start') {
      const pid = pidOf(e.worker);
      killed = pid === undefined ? undefined : killedAt.get(pid);
    }
  }
  return out;
}

/** Pids of the hosts whose attempt is the newest of a turn that has not ended (from each stream's last 400 events). */
async function busyPids(pool: ChaosPool, turnIds: readonly string[]): Promise<Set<string>> {
  const pipe = pool.redis.pipeline();
  for (const id of turnIds) pipe.xrevrange(turnKeys(pool.prefix).events(id), '+', '-', 'COUNT', 400);
  const out = new Set<string>();
  for (const [, entries] of (await pipe.exec()) ?? []) {
    const events = ((entries as [string, string[]][] | undefined) ?? []).map(
      ([, f]) => JSON.parse(f[1] ?? '{}') as { type?: string; worker?: unknown },
    );
    if (events.length === 0 || /^turn-(end|error|cancelled)$/.test(events[0]?.type ?? '')) continue;
    const pid = pidOf(events.find((e) => e.type === 'turn-start')?.worker);
    if (pid) out.add(pid);
  }
  return out;
}
