import { checkTurnLog, isCleanLog, type LoggedEvent, type TurnLogVerdict } from '../check-turn-log.ts';
import type { PoolOnRedis } from '../pool/start-pool.ts';
import { countBy } from '../stats.ts';

/** The outcome of a set of accepted turns. */
export interface TurnTally {
  accepted: number;
  completed: number;
  /** Failed turns by error code (`cancelled` for turn-cancelled). */
  failed: Record<string, number>;
  /** Accepted turns with no terminal event by the deadline. */
  lost: number;
  /** Logs with a gap, a repeat, two terminals, events after the terminal, or an unmarked attempt (must be 0). */
  unclean: number;
  /** `turn-retry` events over all turns. */
  retries: number;
  /** Up to 3 bad logs (verdict + event types/seq/attempt), for the report. */
  samples: { turnId: string; verdict: TurnLogVerdict; events: string }[];
}

/** Reads every turn's log and tallies it; also returns the logs for scenario-specific checks. */
export async function tallyTurns(
  pool: Pick<PoolOnRedis, 'readLog'>,
  turnIds: readonly string[],
): Promise<{ tally: TurnTally; logs: Map<string, LoggedEvent[]>; verdicts: Map<string, TurnLogVerdict> }> {
  const logs = new Map<string, LoggedEvent[]>();
  const verdicts = new Map<string, TurnLogVerdict>();
  for (const id of turnIds) {
    const log = await pool.readLog(id);
    logs.set(id, log);
    verdicts.set(id, checkTurnLog(log));
  }
  const vs = [...verdicts.values()];
  return {
    logs,
    verdicts,
    tally: {
      accepted: turnIds.length,
      completed: vs.filter((v) => v.terminal === 'turn-end').length,
      failed: countBy(vs, (v) =>
        v.terminal === 'turn-error' ? (v.code ?? 'unknown') : v.terminal === 'turn-cancelled' ? 'cancelled' : null,
      ),
      lost: vs.filter((v) => v.terminalCount === 0).length,
      unclean: vs.filter((v) => v.terminalCount > 0 && !isCleanLog(v)).length,
      retries: vs.reduce((a, v) => a + v.retries, 0),
      samples: [...verdicts]
        .filter(([, v]) => !isCleanLog(v))
        .slice(0, 3)
        .map(([turnId, verdict]) => ({
          turnId,
          verdict,
          events: describeTail(logs.get(turnId) ?? []),
        })),
    },
  };
}

/** What a live follower of one turn received: each event's seq and its data as sent, in arrival order. */
export interface ReceivedTurn {
  turnId: string;
  seqs: readonly number[];
  raw: readonly string[];
}

/**
 * Checks what live followers received against each turn's stored log: `duplicates` counts an
 * event that repeats or comes after a later one, `gaps` the seqs skipped, `mismatched` the turns
 * whose received events differ from the stored ones (all must be 0).
 */
export function compareReceived(
  received: readonly ReceivedTurn[],
  logs: ReadonlyMap<string, readonly LoggedEvent[]>,
): { gaps: number; duplicates: number; mismatched: number } {
  let gaps = 0;
  let duplicates = 0;
  let mismatched = 0;
  for (const r of received) {
    const seen = new Set<number>();
    let expected = 1;
    for (const s of r.seqs) {
      if (seen.has(s) || s < expected) duplicates++;
      else if (s > expected) gaps += s - expected;
      seen.add(s);
      expected = Math.max(expected, s + 1);
    }
    const stored = (logs.get(r.turnId) ?? []).map((e) => JSON.stringify(e));
    if (stored.length !== r.raw.length || stored.some((s, j) => JSON.stringify(JSON.parse(r.raw[j] ?? 'null')) !== s)) mismatched++;
  }
  return { gaps, duplicates, mismatched };
}

/** The first event, every turn-start / turn-retry / terminal event with its predecessor, and the last 3 — with workers, messages and ts. */
function describeTail(log: readonly LoggedEvent[]): string {
  const show = (e: LoggedEvent & { worker?: unknown; ts?: unknown; message?: unknown; reason?: unknown }) =>
    `${e.seq}:${e.type}@${e.attempt}${e.code ? `(${e.code})` : ''}${typeof e.worker === 'string' ? `[${e.worker}]` : ''}${typeof e.message === 'string' ? `{${e.message.slice(0, 80)}}` : ''}${typeof e.reason === 'string' ? `{${e.reason.slice(0, 60)}}` : ''}+${typeof e.ts === 'number' ? e.ts % 100_000 : ''}`;
  const keep = new Set<number>([0, log.length - 3, log.length - 2, log.length - 1]);
  log.forEach((e, i) => {
    if (/^turn-(start|retry|end|error|cancelled)$/.test(e.type)) {
      keep.add(i);
      keep.add(i - 1);
    }
  });
  const out: string[] = [];
  let prev = -1;
  for (const i of [...keep].filter((i) => i >= 0 && i < log.length).sort((a, b) => a - b)) {
    if (i > prev + 1) out.push('…');
    const e = log[i];
    if (e) out.push(show(e));
    prev = i;
  }
  return out.join(' ').slice(0, 3000);
}
