import { startPool } from '../pool/start-pool.ts';
import { sleep } from '../stats.ts';
import { tallyTurns, type TurnTally } from './tally-turns.ts';

export interface GracefulDeployOptions {
  /** Turns in flight when SIGTERM arrives. @defaultValue 30 */
  busyTurns?: number;
  /** Turns submitted after SIGTERM. @defaultValue 20 */
  laterTurns?: number;
  /** Pacing: a busy turn lasts about tokens / tokensPerSecond s. @defaultValue 120, 30 */
  tokens?: number;
  tokensPerSecond?: number;
  /** The worker's shutdown grace (apps/worker default). @defaultValue 30000 */
  graceMs?: number;
  settleMs?: number;
}

export interface GracefulDeployReport extends TurnTally {
  /** Turns the SIGTERMed host was running when the signal came. */
  turnsOnStoppedHost: number;
  /** Of those, the ones that finished on it with turn-end (no retry elsewhere). */
  finishedOnStoppedHost: number;
  /** SIGTERM -> process exit (ms) and its exit code. */
  exitAfterMs: number;
  exitCode: number | string;
  /** Turns submitted after SIGTERM that the stopped host started (must be 0). */
  laterTurnsOnStoppedHost: number;
  /** turn-retry events (a stalled job would cause one). */
  stalledRestarts: number;
  durationMs: number;
}

const pidOf = (worker: unknown) => (typeof worker === 'string' ? /:(\d+)\//.exec(worker)?.[1] : undefined);

/**
 * Scenario 4: SIGTERM to a busy worker host: its running turns finish within the grace period,
 * no job stalls (no turn-retry), and turns submitted afterwards go to the other hosts.
 */
export async function runGracefulDeploy(o: GracefulDeployOptions = {}): Promise<GracefulDeployReport> {
  const started = Date.now();
  const pool = await startPool({ workers: 2 });
  try {
    const pace = `[[tokens ${o.tokens ?? 120}]] [[tokens-per-second ${o.tokensPerSecond ?? 30}]]`;
    const busy = await Promise.all(Array.from({ length: o.busyTurns ?? 30 }, (_, i) => pool.submit(`deploy busy ${i} ${pace}`)));
    const target = pool.hosts[0];
    if (!target) throw new Error('no host in slot 0');
    const pid = String(target.child.pid);
    // Wait until the target runs some turns (bounded).
    const running = async () => {
      const ids: string[] = [];
      for (const id of busy) {
        const start = (await pool.readLog(id)).find((e) => e.type === 'turn-start') as { worker?: unknown } | undefined;
        if (start && pidOf(start.worker) === pid) ids.push(id);
      }
      return ids;
    };
    let onTarget: string[] = [];
    for (let i = 0; i < 100 && onTarget.length === 0; i++) {
      await sleep(100);
      onTarget = await running();
    }
    const sigAt = Date.now();
    const exited = pool.stopHost(0, 'SIGTERM');
    await sleep(200);
    const later = await Promise.all(Array.from({ length: o.laterTurns ?? 20 }, (_, i) => pool.submit(`deploy later ${i} [[tokens 20]]`)));
    const exitCode = await exited;
    const exitAfterMs = Date.now() - sigAt;
    const all = [...busy, ...later];
    await pool.waitForTerminal(all, o.settleMs ?? 90_000);
    const { tally, logs, verdicts } = await tallyTurns(pool, all);
    const finished = onTarget.filter((id) => verdicts.get(id)?.terminal === 'turn-end' && verdicts.get(id)?.retries === 0).length;
    const laterOnTarget = later.filter((id) =>
      (logs.get(id) ?? []).some((e) => e.type === 'turn-start' && pidOf((e as { worker?: unknown }).worker) === pid),
    ).length;
    return {
      ...tally,
      turnsOnStoppedHost: onTarget.length,
      finishedOnStoppedHost: finished,
      exitAfterMs,
      exitCode,
      laterTurnsOnStoppedHost: laterOnTarget,
      stalledRestarts: tally.retries,
      durationMs: Date.now() - started,
    };
  } finally {
    await pool.close();
  }
}
