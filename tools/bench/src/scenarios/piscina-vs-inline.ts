import { benchRequest, pace } from '../bench-model.ts';
import { chunksWithin, runClosedLoop } from '../closed-loop.ts';
import { submitAndFollow } from '../follow-turn.ts';
import { readRedisInfo } from '../bench-stack.ts';
import { cpuPercent, machineBusyPercent, readMachineCpu, readProcSample } from '../proc-stats.ts';
import { mapLimit, sleep, type ScenarioContext, type ScenarioResult } from '../scenario.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;

interface ModeRun {
  mode: string;
  turnsPerSec: number;
  chunksPerSec: number;
  workerCpu: number;
  benchCpu: number;
  machineCpu: number;
  errors: number;
  turns: number;
}

/**
 * Scenario 5: the same saturating load on a worker host with piscina threads and on one that
 * runs turns on its main thread (`inline: true`), alternating: sustained turns/s and chunks/s.
 */
export async function piscinaVsInline(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  const lanes = quick ? 100 : 200;
  const durationMs = quick ? 5000 : 12000;
  const shape = { tokens: 150, ttftMs: 0, tokensPerSecond: 0, tokensPerChunk: 3 }; // as fast as the emulator sends
  const order = quick ? ['inline', 'piscina'] : ['inline', 'piscina', 'piscina', 'inline'];
  const runs: ModeRun[] = [];
  for (const mode of order) {
    const prefix = stack.prefix(`mode-${mode}`);
    const worker = await stack.startWorker(prefix, { inline: mode === 'inline', maxTurns: 1000, concurrentTasksPerWorker: 500 });
    const tc = stack.turnClient(prefix);
    try {
      ctx.log(`piscina vs inline: ${mode}, ${lanes} lanes, ${durationMs / 1000} s`);
      await mapLimit(Array.from({ length: 20 }), 10, () => submitAndFollow(tc.client, benchRequest(pace({ ...shape, tokens: 6 }))));
      const p = runClosedLoop({
        client: tc.client,
        request: benchRequest(pace(shape)),
        lanes,
        rampMs: 500,
        durationMs,
        hardLimitMs: durationMs + 60_000,
      });
      await sleep(1500);
      const m0 = readMachineCpu();
      const a = readProcSample(worker.pid);
      const e0 = readProcSample(stack.emulator.pid);
      const r0 = await readRedisInfo(stack.redis);
      const c0 = process.cpuUsage();
      await sleep(durationMs - 1500 - 200);
      const b = readProcSample(worker.pid);
      const m1 = readMachineCpu();
      const e1 = readProcSample(stack.emulator.pid);
      const r1 = await readRedisInfo(stack.redis);
      const c1 = process.cpuUsage(c0);
      const run = await p;
      const from = a?.at ?? 0;
      const to = b?.at ?? 0;
      const secs = (to - from) / 1000;
      const ended = run.turns.filter(
        (t) => t.chunkAbs.length > 0 && (t.chunkAbs.at(-1) as number) >= from && (t.chunkAbs.at(-1) as number) < to,
      ).length;
      runs.push({
        mode,
        turnsPerSec: ended / secs,
        chunksPerSec: chunksWithin(run.turns, from, to) / secs,
        workerCpu: cpuPercent(a, b),
        benchCpu: cpuPercent(a, b) + cpuPercent(e0, e1) + ((r1.cpuMs - r0.cpuMs + (c1.user + c1.system) / 1000) / (to - from || 1)) * 100,
        machineCpu: machineBusyPercent(m0, m1),
        errors: run.turns.filter((t) => t.error).length,
        turns: run.turns.length,
      });
    } finally {
      await tc.close();
      await worker.stop();
      await stack.cleanup(prefix);
    }
  }
  const mean = (mode: string, k: 'turnsPerSec' | 'chunksPerSec') => {
    const s = runs.filter((r) => r.mode === mode);
    return s.reduce((a, r) => a + r[k], 0) / s.length;
  };
  const ratioTurns = mean('piscina', 'turnsPerSec') / mean('inline', 'turnsPerSec');
  const ratioChunks = mean('piscina', 'chunksPerSec') / mean('inline', 'chunksPerSec');
  return {
    id: 'piscina',
    title: '5. piscina threads vs the main thread (inline) under the same load',
    setup:
      `${lanes} concurrent turns (closed loop, ${durationMs / 1000} s each run), ${shape.tokens} tokens at 3 tokens/chunk (50 chunks) sent as fast as the emulator can, TTFT 0; ` +
      `order ${order.join(', ')}; worker host in its own process (piscina: 2 threads)`,
    tables: [
      {
        title: 'Sustained throughput in the steady window',
        headers: ['mode', 'turns/s', 'chunks/s', 'worker CPU %', 'bench processes CPU %', 'machine CPU % (of 200)', 'turns', 'errors'],
        rows: runs.map((r) => [
          r.mode,
          r2(r.turnsPerSec),
          Math.round(r.chunksPerSec),
          Math.round(r.workerCpu),
          Math.round(r.benchCpu),
          Math.round(r.machineCpu),
          r.turns,
          r.errors,
        ]),
      },
    ],
    notes: [`piscina / inline: turns/s ${r2(ratioTurns)}x, chunks/s ${r2(ratioChunks)}x.`],
    targets: [
      {
        target: 'piscina path >= 1.0x the main-thread path under load',
        measured: `${r2(ratioTurns)}x turns/s, ${r2(ratioChunks)}x chunks/s`,
        met: ratioTurns >= 1 && ratioChunks >= 1,
        ...(ratioTurns >= 1 && ratioChunks >= 1
          ? {}
          : {
              cause:
                `Under load the machine is saturated (machine CPU ${runs.map((r) => Math.round(r.machineCpu)).join(' / ')} % of 200 %) and the worker host gets ` +
                `${runs.map((r) => Math.round(r.workerCpu)).join(' / ')} % of it: with no spare core, threads cannot add parallelism and only add their cost per turn ` +
                '(structured clone of the job and result, cross-thread messages, three event loops instead of one). On a host with cores to spare for the worker the balance differs; this machine cannot show it.',
            }),
      },
    ],
    data: { runs, ratioTurns, ratioChunks },
  };
}
