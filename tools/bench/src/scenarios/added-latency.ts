import { pace, benchRequest } from '../bench-model.ts';
import { directClient, runDirectStream, type StreamTiming } from '../direct-stream.ts';
import { postAndFollowSse, type PooledTiming } from '../follow-turn.ts';
import { summarize } from '../percentiles.ts';
import type { ResultTable, ScenarioContext, ScenarioResult, TargetCheck } from '../scenario.ts';
import type { Redis } from 'ioredis';
import { sharedSettings } from '@turnpool/config';
import { turnKeys } from '@turnpool/turn-store';

const r2 = (n: number) => Math.round(n * 100) / 100;

function gaps(runs: readonly StreamTiming[]): number[] {
  const out: number[] = [];
  for (const r of runs) for (let i = 1; i < r.chunkAt.length; i++) out.push((r.chunkAt[i] as number) - (r.chunkAt[i - 1] as number));
  return out;
}

/** BullMQ's own stamps on a turn's job: `timestamp` (queue.add called, dispatcher clock) and `processedOn` (picked up, worker clock). */
async function jobStamps(
  redis: Redis,
  keyPrefix: string,
  turnIds: readonly string[],
): Promise<Map<string, { added: number; picked: number }>> {
  const pipe = redis.pipeline();
  const base = `${turnKeys(keyPrefix).queuePrefix}:${sharedSettings.queueName.default}`;
  for (const id of turnIds) pipe.hmget(`${base}:${id}`, 'timestamp', 'processedOn');
  const replies = (await pipe.exec()) ?? [];
  const out = new Map<string, { added: number; picked: number }>();
  turnIds.forEach((id, i) => {
    const [err, v] = replies[i] ?? [];
    if (!err && Array.isArray(v)) out.set(id, { added: Number(v[0]), picked: Number(v[1]) });
  });
  return out;
}

/**
 * The steps from the POST to the first chunk at the SSE client, ms (one clock: every process
 * stamps Date.now() on this machine). Consecutive steps add up to the pooled TTFT, except the
 * SSE GET, which runs alongside the worker's steps.
 */
export const ttftSteps = [
  [
    'POST -> queue.add (HTTP, validation, model, claim)',
    (p: PooledTiming, j: { added: number; picked: number }) => j.added - p.startedAtMs,
  ],
  [
    'queue.add -> 202 read (add, settle, reply)',
    (p: PooledTiming, j: { added: number; picked: number }) => (p.postAnsweredMs ?? NaN) - j.added,
  ],
  ['202 -> SSE open (GET, subscribe, replay)', (p: PooledTiming) => (p.sseOpenMs ?? NaN) - (p.postAnsweredMs ?? NaN)],
  ['queue.add -> BullMQ pickup', (_p: PooledTiming, j: { added: number; picked: number }) => j.picked - j.added],
  [
    'pickup -> turn-start (thread hand-off, start-up reads)',
    (p: PooledTiming, j: { added: number; picked: number }) => (p.turnStartTs ?? NaN) - j.picked,
  ],
  ['turn-start -> 1st chunk at SSE (Bedrock call, publish, SSE)', (p: PooledTiming) => p.startedAtMs + p.ttftMs - (p.turnStartTs ?? NaN)],
] as const;

/**
 * Scenarios 1 and 2: time to first token and total time through the whole pool (HTTP POST to
 * the dispatcher, SSE from it) against the direct SDK ConverseStream call on the same emulator,
 * interleaved round by round (direct then pooled, then pooled then direct) so drift cancels;
 * and the inter-chunk gaps both clients saw.
 */
export async function addedLatency(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  const shape = { tokens: quick ? 30 : 150, ttftMs: 200, tokensPerSecond: 50, tokensPerChunk: 3 };
  const directives = pace(shape);
  // BENCH_LATENCY_PLAN=1:10,10:10 picks the concurrencies and rounds (experiments: a quick A/B of the start of a turn).
  const planEnv = process.env['BENCH_LATENCY_PLAN'];
  const plan: [number, number][] = planEnv
    ? planEnv.split(',').map((p) => p.split(':').map(Number) as [number, number])
    : quick
      ? [
          [1, 3],
          [10, 2],
          [100, 1],
        ]
      : [
          [1, 15],
          [10, 8],
          [100, 3],
        ];
  const prefix = stack.prefix('latency');
  const worker = await stack.startWorker(prefix);
  const dispatcher = await stack.startDispatcher(prefix);
  const client = directClient(stack.emulatorUrl);
  const rows: ResultTable['rows'] = [];
  const gapRows: ResultTable['rows'] = [];
  const pickupRows: ResultTable['rows'] = [];
  const stepRows: ResultTable['rows'] = [];
  const data: Record<string, unknown> = { shape };
  const targets: TargetCheck[] = [];
  let errors = 0;
  try {
    // Warm both paths (connections, JIT, threads) outside the measurement.
    const warm = pace({ ...shape, tokens: 6, ttftMs: 0, tokensPerSecond: 0 });
    for (let i = 0; i < 3; i++)
      await Promise.all([runDirectStream(client, warm), postAndFollowSse(dispatcher.info.url, benchRequest(warm))]);
    for (const [conc, rounds] of plan) {
      ctx.log(`added latency: concurrency ${conc}, ${rounds} interleaved rounds`);
      const direct: StreamTiming[] = [];
      const pooled: PooledTiming[] = [];
      for (let r = 0; r < rounds; r++) {
        const runDirect = async () => {
          direct.push(...(await Promise.all(Array.from({ length: conc }, () => runDirectStream(client, directives)))));
        };
        const runPooled = async () => {
          pooled.push(
            ...(await Promise.all(Array.from({ length: conc }, () => postAndFollowSse(dispatcher.info.url, benchRequest(directives))))),
          );
        };
        if (r % 2 === 0) {
          await runDirect();
          await runPooled();
        } else {
          await runPooled();
          await runDirect();
        }
      }
      errors += direct.filter((d) => d.error).length + pooled.filter((p) => p.error).length;
      const dT = summarize(direct.map((d) => d.ttftMs));
      const pT = summarize(pooled.map((p) => p.ttftMs));
      const dTot = summarize(direct.map((d) => d.totalMs));
      const pTot = summarize(pooled.map((p) => p.totalMs));
      for (const [metric, d, p] of [
        ['TTFT', dT, pT],
        ['total', dTot, pTot],
      ] as const) {
        rows.push([
          conc,
          metric,
          d.n,
          r2(d.p50),
          r2(p.p50),
          r2(p.p50 - d.p50),
          r2(p.p95 - d.p95),
          r2(p.p99 - d.p99),
          r2(p.p50 / d.p50),
          r2(p.p99 / d.p99),
        ]);
      }
      const stamps = await jobStamps(
        stack.redis,
        prefix,
        pooled.map((p) => p.turnId),
      );
      for (const [step, of] of ttftSteps) {
        const sample = summarize(
          pooled.map((p) => {
            const j = stamps.get(p.turnId);
            return j ? of(p, j) : Number.NaN;
          }),
        );
        stepRows.push([conc, step, sample.n, r2(sample.p50), r2(sample.p99), r2(sample.max)]);
        data[`step c${conc} ${step}`] = sample;
      }
      stepRows.push([conc, 'pooled TTFT (POST -> 1st chunk)', pT.n, r2(pT.p50), r2(pT.p99), r2(pT.max)]);
      stepRows.push([conc, 'direct TTFT (reference)', dT.n, r2(dT.p50), r2(dT.p99), r2(dT.max)]);
      const pickup = summarize(pooled.map((p) => (p.turnStartTs ?? Number.NaN) - p.startedAtMs));
      pickupRows.push([conc, pickup.n, pickup.p50, pickup.p95, pickup.p99, pickup.max, r2(pT.p50 - pickup.p50), r2(dT.p50)]);
      data[`pickup c${conc}`] = pickup;
      const dg = summarize(gaps(direct));
      const pg = summarize(gaps(pooled));
      const lag = summarize(pooled.flatMap((p) => p.lagMs));
      gapRows.push([
        conc,
        r2(dg.p50),
        r2(dg.p99),
        r2(dg.max),
        r2(pg.p50),
        r2(pg.p99),
        r2(pg.max),
        r2(pg.p99 - dg.p99),
        r2(lag.p50),
        r2(lag.p99),
        r2(lag.max),
      ]);
      data[`c${conc}`] = {
        directTtft: dT,
        pooledTtft: pT,
        directTotal: dTot,
        pooledTotal: pTot,
        directGaps: dg,
        pooledGaps: pg,
        publishToSubscriberLag: lag,
        lost: pooled.filter((p) => p.chunks !== direct[0]?.chunks).length,
        duplicates: pooled.reduce((a, p) => a + p.duplicates, 0),
      };
      if (conc === 10) {
        const addP50 = pT.p50 - dT.p50;
        const addP99 = pT.p99 - dT.p99;
        const upstream = pT.p50 - pickup.p50;
        const cause =
          `POST -> turn-start (dispatcher validation + claim + queue.add, BullMQ pickup, thread hand-off, the attempt's start-up round trip) takes p50 ${r2(pickup.p50)} / p99 ${r2(pickup.p99)} ms here (step by step in the table above); ` +
          `turn-start -> first chunk at the SSE client takes ${r2(upstream)} ms at p50 against the direct call's whole TTFT of ${r2(dT.p50)} ms (the model call starts before turn-start, alongside the start-up reads). ` +
          'Ten turns arriving at once queue behind each other in every process on 2 cores shared by the dispatcher, the worker host, the emulator, Redis, the client and other work.';
        targets.push({
          target: 'added TTFT p50 <= 10 ms at concurrency 10',
          measured: `${r2(addP50)} ms`,
          met: addP50 <= 10,
          ...(addP50 <= 10 ? {} : { cause }),
        });
        targets.push({
          target: 'added TTFT p99 <= 30 ms at concurrency 10',
          measured: `${r2(addP99)} ms`,
          met: addP99 <= 30,
          ...(addP99 <= 30 ? {} : { cause }),
        });
      }
    }
  } finally {
    client.destroy();
    await dispatcher.stop();
    await worker.stop();
    await stack.cleanup(prefix);
  }
  data['errors'] = errors;
  const nominal = (shape.tokensPerChunk / shape.tokensPerSecond) * 1000;
  return {
    id: 'added-latency',
    title: '1-2. Added latency and inter-chunk delay: pool (HTTP POST -> SSE) vs direct ConverseStream',
    setup:
      `emulator TTFT ${shape.ttftMs} ms, ${shape.tokensPerSecond} tokens/s, ${shape.tokensPerChunk} tokens/chunk, ${shape.tokens} tokens (${Math.ceil(shape.tokens / shape.tokensPerChunk)} chunks, one every ${nominal} ms); ` +
      `rounds per concurrency ${plan.map(([c, r]) => `${c}:${r}`).join(', ')}, direct and pooled alternating; worker host (piscina) and dispatcher each in their own process; errors ${errors}`,
    tables: [
      {
        title: 'Added latency (pooled - direct, ms) and ratio pooled/direct',
        headers: ['conc', 'metric', 'n', 'direct p50', 'pooled p50', 'Δp50', 'Δp95', 'Δp99', 'ratio p50', 'ratio p99'],
        rows,
      },
      {
        title: 'Where the pooled TTFT goes (ms): request start -> the worker stamps turn-start (queue + pickup), then the upstream call',
        headers: ['conc', 'n', 'pickup p50', 'pickup p95', 'pickup p99', 'pickup max', 'pooled TTFT p50 - pickup p50', 'direct TTFT p50'],
        rows: pickupRows,
      },
      {
        title: 'POST -> first chunk, step by step (ms; Date.now() stamps of the bench client, the dispatcher, BullMQ and the worker)',
        headers: ['conc', 'step', 'n', 'p50', 'p99', 'max'],
        rows: stepRows,
      },
      {
        title: 'Inter-chunk gap (ms): direct client (≈ emulator send times) vs SSE subscriber; publish->subscriber lag (ms)',
        headers: [
          'conc',
          'direct p50',
          'direct p99',
          'direct max',
          'SSE p50',
          'SSE p99',
          'SSE max',
          'Δp99',
          'lag p50',
          'lag p99',
          'lag max',
        ],
        rows: gapRows,
      },
    ],
    notes: [
      'Δ columns are differences of percentiles (pooled pN - direct pN) over all samples at that concurrency; ratio = pooled / direct.',
      "The direct client reads the emulator over loopback HTTP/2, so its arrival times stand in for the emulator's send times; lag = SSE arrival (Date.now) - the worker's publish stamp `ts` (same clock, ms resolution).",
    ],
    targets,
    data,
  };
}
