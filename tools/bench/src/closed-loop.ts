import { setMaxListeners } from 'node:events';
import type { TurnClient } from '@turnpool/turn-store/client';
import { submitAndFollow, type PooledTiming } from './follow-turn.ts';

/** What each lane runs: the turn client's submit + subscribe, or any other way to run and follow one turn (the HTTP path). */
export type ClosedLoopTurn = { client: TurnClient; request: object } | { follow: (signal: AbortSignal) => Promise<PooledTiming> };

export type ClosedLoopOptions = ClosedLoopTurn & {
  /** Concurrent lanes (each runs one turn at a time, back to back). */
  lanes: number;
  /** Lane starts are spread over this many ms. */
  rampMs: number;
  /** No lane starts a new turn after this many ms from the start. */
  durationMs: number;
  /** Hard bound: turns still running this long after the start are aborted. */
  hardLimitMs: number;
  /** No lane starts a new turn once this aborts either (a load that runs until its caller is done). */
  stop?: AbortSignal;
};

export interface ClosedLoopRun {
  turns: PooledTiming[];
  /** performance.now() at the start. */
  start: number;
  /** performance.now() when the last lane finished. */
  end: number;
}

/** Keeps `lanes` turns in flight (submit through the turn client or `follow`, follow to the end) until the deadline. */
export async function runClosedLoop(o: ClosedLoopOptions): Promise<ClosedLoopRun> {
  const start = performance.now();
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per running turn
  const hard = setTimeout(() => abort.abort(), o.hardLimitMs);
  const turns: PooledTiming[] = [];
  const one = 'follow' in o ? o.follow : (signal: AbortSignal) => submitAndFollow(o.client, o.request, signal);
  const lane = async (i: number) => {
    await new Promise((r) => setTimeout(r, (o.rampMs * i) / Math.max(1, o.lanes)));
    while (performance.now() - start < o.durationMs && !abort.signal.aborted && !o.stop?.aborted) {
      turns.push(await one(abort.signal));
    }
  };
  try {
    await Promise.all(Array.from({ length: o.lanes }, (_, i) => lane(i)));
  } finally {
    clearTimeout(hard);
  }
  return { turns, start, end: performance.now() };
}

/** Chunks that arrived within [from, to) across turns. */
export function chunksWithin(turns: readonly PooledTiming[], from: number, to: number): number {
  let n = 0;
  for (const t of turns) for (const a of t.chunkAbs) if (a >= from && a < to) n++;
  return n;
}
