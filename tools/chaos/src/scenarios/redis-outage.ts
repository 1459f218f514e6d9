import { startPool } from '../pool/start-pool.ts';
import { sleep, summarize } from '../stats.ts';
import { tallyTurns, type TurnTally } from './tally-turns.ts';

export interface RedisOutageOptions {
  /** Outage lengths, in order, each under load. @defaultValue [5, 30] */
  outagesSec?: number[];
  /** Turns submitted just before each outage (they are mid-stream when Redis stops). @defaultValue 20 */
  turnsPerOutage?: number;
  /** A new POST /v1/turns and GET /readyz every this often, before, during and after. @defaultValue 250 */
  probeEveryMs?: number;
  /** A request slower than this counts as a hang. @defaultValue 10000 */
  hangMs?: number;
  /** SIGKILL instead of SIGTERM (AOF everysec may then lose the last second). @defaultValue false */
  hard?: boolean;
  settleMs?: number;
}

export interface OutageFigures {
  seconds: number;
  /** POSTs sent while Redis was down and how they were answered. */
  postsDuringOutage: number;
  statusesDuringOutage: Record<string, number>;
  /** Answer time of those POSTs (ms). */
  answerMs: ReturnType<typeof summarize>;
  /** Requests that took longer than hangMs or never answered. */
  hangs: number;
  /** /readyz answered 503 at least once during the outage. */
  readyzRed: boolean;
  /** Redis back -> /readyz 200 (ms). */
  readyzGreenAfterMs: number;
  /** Redis back -> first 202 (ms). */
  acceptingAfterMs: number;
  /** Redis back -> first event written by a worker for any turn (ms). */
  workersResumedAfterMs: number;
}

export interface RedisOutageReport extends TurnTally {
  outages: OutageFigures[];
  durationMs: number;
}

/**
 * Scenario 2: the pool's Redis (AOF on) stopped for each outage length under load, then started:
 * the dispatcher must answer 503 promptly, never hang; /readyz goes red and green; workers resume;
 * no accepted turn is lost.
 */
export async function runRedisOutage(o: RedisOutageOptions = {}): Promise<RedisOutageReport> {
  const started = Date.now();
  const pool = await startPool({ workers: 2 });
  const hangMs = o.hangMs ?? 10_000;
  const probeEvery = o.probeEveryMs ?? 250;
  try {
    const accepted: string[] = [];
    const timed = async (url: string, init?: RequestInit) => {
      const t0 = performance.now();
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(hangMs) });
        const body = await res.text();
        return { status: res.status, ms: performance.now() - t0, body };
      } catch {
        return { status: 0, ms: performance.now() - t0, body: '' };
      }
    };
    const post = (i: number) =>
      timed(`${pool.dispatcherUrl}/v1/turns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
          messages: [{ role: 'user', content: [{ text: `outage probe ${i} [[tokens 40]]` }] }],
        }),
      });
    const record = (r: { status: number; body: string }) => {
      if (r.status === 202) accepted.push((JSON.parse(r.body) as { turnId: string }).turnId);
    };
    const outages: OutageFigures[] = [];
    let probe = 0;
    for (const seconds of o.outagesSec ?? [5, 30]) {
      const batch = await Promise.all(
        Array.from({ length: o.turnsPerOutage ?? 20 }, (_, i) =>
          pool.submit(`outage turn ${seconds}-${i} [[tokens 120]] [[tokens-per-second 40]]`),
        ),
      );
      accepted.push(...batch);
      await sleep(1000);
      await pool.server.stop(o.hard ?? false);
      const downUntil = Date.now() + seconds * 1000;
      const answers: { status: number; ms: number }[] = [];
      let readyzRed = false;
      const inflight: Promise<void>[] = [];
      for (let n = 0; Date.now() < downUntil && n < 100_000; n++) {
        inflight.push(
          post(probe++).then((r) => {
            answers.push(r);
            record(r);
          }),
        );
        inflight.push(
          timed(`${pool.dispatcherUrl}/readyz`).then((r) => {
            if (r.status === 503) readyzRed = true;
          }),
        );
        await sleep(probeEvery);
      }
      await Promise.all(inflight);
      await pool.server.start();
      const backAt = Date.now();
      let readyAt = 0;
      let acceptAt = 0;
      for (let n = 0; (readyAt === 0 || acceptAt === 0) && n < 400; n++) {
        if (readyAt === 0 && (await timed(`${pool.dispatcherUrl}/readyz`)).status === 200) readyAt = Date.now();
        if (acceptAt === 0) {
          const r = await post(probe++);
          record(r);
          if (r.status === 202) acceptAt = Date.now();
        }
        if (readyAt === 0 || acceptAt === 0) await sleep(100);
      }
      const open = await pool.waitForTerminal(accepted, o.settleMs ?? 90_000);
      if (open.length > 0) throw new Error(`${open.length} accepted turns did not end after the ${seconds}s outage`);
      let firstEvent = Number.POSITIVE_INFINITY;
      for (const id of accepted) {
        for (const e of (await pool.readLog(id)) as { ts?: number }[])
          if (typeof e.ts === 'number' && e.ts >= backAt) firstEvent = Math.min(firstEvent, e.ts);
      }
      const statuses: Record<string, number> = {};
      for (const a of answers) statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1;
      outages.push({
        seconds,
        postsDuringOutage: answers.length,
        statusesDuringOutage: statuses,
        answerMs: summarize(answers.map((a) => a.ms)),
        hangs: answers.filter((a) => a.status === 0 || a.ms >= hangMs).length,
        readyzRed,
        readyzGreenAfterMs: readyAt === 0 ? -1 : readyAt - backAt,
        acceptingAfterMs: acceptAt === 0 ? -1 : acceptAt - backAt,
        workersResumedAfterMs: Number.isFinite(firstEvent) ? firstEvent - backAt : -1,
      });
    }
    const { tally } = await tallyTurns(pool, accepted);
    return { ...tally, outages, durationMs: Date.now() - started };
  } finally {
    await pool.close();
  }
}
