import { startPool } from '../pool/start-pool.ts';
import { readSse } from '@turnpool/turn-store';
import { seededRandom, summarize } from '../stats.ts';
import { compareReceived, tallyTurns, type TurnTally } from './tally-turns.ts';

export interface SubscriberOptions {
  /** Turns streamed at once. @defaultValue 20 */
  turns?: number;
  /** Disconnect/reconnects to perform in total (spread over the turns; then read to the end). @defaultValue 1000 */
  reconnects?: number;
  /** Output per turn and pacing. @defaultValue 600 tokens at 60 tokens/s */
  tokens?: number;
  tokensPerSecond?: number;
  seed?: number;
  settleMs?: number;
}

export interface SubscriberReport extends TurnTally {
  reconnects: number;
  /** Resumes by `Last-Event-ID` header and by `?after=`. */
  byHeader: number;
  byQuery: number;
  /** Events received over SSE in total; gaps and duplicates against seq 1..n (must be 0). */
  eventsReceived: number;
  gaps: number;
  duplicates: number;
  /** Turns whose SSE sequence differs from the stream in Redis (must be 0). */
  mismatched: number;
  /** Time from reconnect to the first frame (ms). */
  resumeMs: ReturnType<typeof summarize>;
  durationMs: number;
  seed: number;
}

/**
 * Scenario 5: subscribers that disconnect at random points (after a few frames or a few ms) and
 * reconnect with `Last-Event-ID` (or `?after=`) while turns stream: every turn's received events
 * are seq 1..n exactly once, equal to the stream in Redis.
 */
export async function runSubscribers(o: SubscriberOptions = {}): Promise<SubscriberReport> {
  const seed = o.seed ?? Date.now() % 100_000;
  const rnd = seededRandom(seed);
  const started = Date.now();
  const pool = await startPool({ workers: 1, emulator: { tokensPerChunk: 2 } });
  try {
    const ids = await Promise.all(
      Array.from({ length: o.turns ?? 20 }, (_, i) =>
        pool.submit(`subscriber turn ${i} [[tokens ${o.tokens ?? 600}]] [[tokens-per-second ${o.tokensPerSecond ?? 60}]]`),
      ),
    );
    let budget = o.reconnects ?? 1000;
    let reconnects = 0;
    let byHeader = 0;
    let byQuery = 0;
    const resume: number[] = [];
    const follow = async (turnId: string) => {
      const seqs: number[] = [];
      const raw: string[] = [];
      let last = 0;
      for (let round = 0; round < 100_000; round++) {
        const cut = budget > 0 ? (rnd() < 0.5 ? { frames: 1 + Math.floor(rnd() * 8) } : { ms: Math.floor(rnd() * 120) }) : undefined;
        if (cut) {
          budget--;
          reconnects++;
        }
        const ac = new AbortController();
        const timer = cut?.ms === undefined ? undefined : setTimeout(() => ac.abort(), cut.ms);
        const useQuery = last > 0 && rnd() < 0.2;
        if (last > 0) {
          if (useQuery) byQuery++;
          else byHeader++;
        }
        const t0 = performance.now();
        let first = true;
        let ended = false;
        try {
          const res = await fetch(`${pool.dispatcherUrl}/v1/turns/${turnId}/events${useQuery ? `?after=${last}` : ''}`, {
            headers: last > 0 && !useQuery ? { 'last-event-id': String(last) } : {},
            signal: ac.signal,
          });
          if (res.status !== 200 || !res.body) throw new Error(`events answered ${res.status}`);
          let n = 0;
          for await (const f of readSse(res.body)) {
            if (first && last > 0) resume.push(performance.now() - t0);
            first = false;
            const e = JSON.parse(f.data) as { seq: number; type: string };
            seqs.push(e.seq);
            raw.push(f.data);
            if (f.id !== String(e.seq)) throw new Error(`SSE id ${f.id} != seq ${e.seq}`);
            last = e.seq;
            if (e.type === 'turn-end' || e.type === 'turn-error' || e.type === 'turn-cancelled') {
              ended = true;
              break;
            }
            if (cut?.frames !== undefined && ++n >= cut.frames) {
              ac.abort();
              break;
            }
          }
        } catch (err) {
          if (!ac.signal.aborted) throw err;
        } finally {
          clearTimeout(timer);
        }
        if (ended) break;
      }
      return { seqs, raw };
    };
    const received = await Promise.all(ids.map(follow));
    await pool.waitForTerminal(ids, o.settleMs ?? 60_000);
    const { tally, logs } = await tallyTurns(pool, ids);
    const { gaps, duplicates, mismatched } = compareReceived(
      received.map((r, i) => ({ turnId: ids[i] ?? '', ...r })),
      logs,
    );
    return {
      ...tally,
      reconnects,
      byHeader,
      byQuery,
      eventsReceived: received.reduce((a, r) => a + r.seqs.length, 0),
      gaps,
      duplicates,
      mismatched,
      resumeMs: summarize(resume),
      durationMs: Date.now() - started,
      seed,
    };
  } finally {
    await pool.close();
  }
}
