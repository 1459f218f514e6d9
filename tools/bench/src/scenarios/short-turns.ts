import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { benchRequest } from '../bench-model.ts';
import { submitAndFollow } from '../follow-turn.ts';
import { mapLimit, type ScenarioContext, type ScenarioResult } from '../scenario.ts';
import { spawnBenchChild } from '../spawn-child.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;

interface Run {
  side: string;
  n: number;
  perSec: number;
  errors: number;
}

/**
 * Scenario 8: one-token turns end to end (submit through the turn client, worker host, first
 * and last event at the subscriber) vs BullMQ's own rate for empty jobs (add, process, and the
 * producer learning of the completion through QueueEvents), same Redis, same in-flight count.
 */
export async function shortTurns(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  const n = quick ? 200 : 1500;
  const inFlight = 50;
  const order = quick ? ['turnpool', 'bullmq', 'direct'] : ['turnpool', 'bullmq', 'direct', 'direct', 'bullmq', 'turnpool'];
  const runs: Run[] = [];
  const directives = '[[tokens 1]] [[ttft-ms 0]] [[tokens-per-second 0]]';
  for (const side of order) {
    const prefix = stack.prefix(`short-${side}`);
    ctx.log(`short turns: ${side}, ${n} turns, ${inFlight} in flight`);
    try {
      if (side === 'direct') {
        const child = await spawnBenchChild<{ pid: number }>('direct-reader-child', {
          emulatorUrl: stack.emulatorUrl,
          directives,
          streams: inFlight,
          total: n,
        });
        try {
          const r = await child.result<{ wallMs: number; turns: number; errors: number }>(120_000);
          runs.push({ side, n: r.turns, perSec: r.turns / (r.wallMs / 1000), errors: r.errors });
        } finally {
          await child.stop();
        }
      } else if (side === 'turnpool') {
        const worker = await stack.startWorker(prefix);
        const tc = stack.turnClient(prefix);
        try {
          await mapLimit(Array.from({ length: 50 }), inFlight, () => submitAndFollow(tc.client, benchRequest(directives)));
          const t0 = performance.now();
          const res = await mapLimit(Array.from({ length: n }), inFlight, () => submitAndFollow(tc.client, benchRequest(directives)));
          runs.push({
            side,
            n,
            perSec: n / ((performance.now() - t0) / 1000),
            errors: res.filter((r) => r.error || r.chunks !== 1).length,
          });
        } finally {
          await tc.close();
          await worker.stop();
        }
      } else {
        const child = await spawnBenchChild('bullmq-child', {
          redisUrl: stack.redisUrl,
          prefix: `{${prefix}}:q`,
          queue: 'empty',
          concurrency: 256,
        });
        const conn = new Redis(stack.redisUrl, { maxRetriesPerRequest: null });
        const queue = new Queue('empty', { connection: conn as never, prefix: `{${prefix}}:q` });
        // From the stream's start (it is new): '$' would miss completions that land before the first XREAD.
        const events = new QueueEvents('empty', {
          connection: { url: stack.redisUrl } as never,
          prefix: `{${prefix}}:q`,
          lastEventId: '0',
        });
        events.setMaxListeners(10_000);
        queue.setMaxListeners(10_000);
        try {
          await events.waitUntilReady();
          let i = 0;
          const one = async () => {
            const job = await queue.add('empty', { i: i++ }, { removeOnComplete: { age: 3600 } });
            await job.waitUntilFinished(events, 30_000);
          };
          // Warm-up jobs, not measured: a failure here shows up in the measured run below.
          await mapLimit(Array.from({ length: 50 }), inFlight, () => one().catch(() => {}));
          const t0 = performance.now();
          let errors = 0;
          await mapLimit(Array.from({ length: n }), inFlight, () =>
            one().catch(() => {
              errors++;
            }),
          );
          runs.push({ side, n, perSec: n / ((performance.now() - t0) / 1000), errors });
        } finally {
          await events.close();
          await queue.close();
          conn.disconnect();
          await child.stop();
        }
      }
    } finally {
      await stack.cleanup(prefix);
    }
  }
  const mean = (side: string) => {
    const s = runs.filter((r) => r.side === side);
    return s.reduce((a, r) => a + r.perSec, 0) / s.length;
  };
  const ratio = mean('turnpool') / mean('bullmq');
  const ofDirect = mean('turnpool') / mean('direct');
  const cause =
    `A one-token turn is not an empty job: it makes a ConverseStream call (the direct SDK client alone, in its own process, manages ${r2(mean('direct'))} calls/s here, ` +
    `${r2((mean('direct') / mean('bullmq')) * 100)} % of the BullMQ rate: the SDK opens a new HTTP/2 connection for every event-stream call and signs it), plus the turn's Redis work ` +
    "(one round trip of 2 reads when an attempt starts, 3 script calls publishing turn-start / text / turn-end, the subscriber's SUBSCRIBE, XRANGE and UNSUBSCRIBE). " +
    `turnpool reaches ${r2(ofDirect * 100)} % of the direct-call rate.`;
  return {
    id: 'short',
    title: '8. Short turns (one token) end to end vs raw BullMQ empty jobs',
    setup:
      `${n} turns/jobs per run, ${inFlight} in flight (closed loop), order ${order.join(', ')}; turnpool: submit via the turn client, follow the turn to its terminal event; ` +
      'BullMQ: Queue.add + Worker (empty processor, concurrency 256, own process) + job.waitUntilFinished(QueueEvents); same private Redis',
    tables: [
      {
        title: 'Turns (jobs) per second',
        headers: ['side', 'n', 'per second', 'errors'],
        rows: runs.map((r) => [r.side, r.n, r2(r.perSec), r.errors]),
      },
    ],
    notes: [
      `turnpool / BullMQ = ${r2(ratio * 100)} %; turnpool / direct SDK calls = ${r2(ofDirect * 100)} %.`,
      'direct = one-token ConverseStream calls from the direct SDK client in its own process, the same 50 in flight: the floor for anything that calls Bedrock per turn.',
    ],
    targets: [
      {
        target: 'short-turn throughput >= 50 % of raw BullMQ',
        measured: `${r2(ratio * 100)} % (${r2(mean('turnpool'))} vs ${r2(mean('bullmq'))} per s)`,
        met: ratio >= 0.5,
        ...(ratio >= 0.5 ? {} : { cause }),
      },
    ],
    data: { runs, ratio, ofDirect },
  };
}
