import { benchRequest, pace } from '../bench-model.ts';
import { readRedisInfo, type RedisInfo } from '../bench-stack.ts';
import { chunksWithin, runClosedLoop } from '../closed-loop.ts';
import { openConsoleClient, type ConsoleClient } from '../console-client.ts';
import { postAndFollowSse, type PooledTiming } from '../follow-turn.ts';
import { summarize } from '../percentiles.ts';
import { machineBusyPercent, readMachineCpu, readProcSample, type MachineCpuSample, type ProcSample } from '../proc-stats.ts';
import { mapLimit, sleep, type ResultTable, type ScenarioContext, type ScenarioResult } from '../scenario.ts';
import { checkWithinNoise, type NoiseCheck, type Worse } from '../within-noise.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;
const pct = (n: number) => `${n >= 0 ? '+' : ''}${(n * 100).toFixed(1)} %`;

type Mode = 'closed' | 'open';

/** One measured window of the continuous load, with the console closed or open. */
interface Round {
  round: number;
  mode: Mode;
  windowMs: number;
  chunks: number;
  chunksPerSec: number;
  ttftP50: number;
  ttftP99: number;
  turnsStarted: number;
  errors: number;
  workerUsPerChunk: number;
  dispatcherUsPerChunk: number;
  redisUsPerChunk: number;
  redisCommandsPerChunk: number;
  machineCpuPercent: number;
  /** What the console clients did within the window (0 when closed). */
  summaries: number;
  consoleReads: number;
  /** Redis commands per second within the window, by command (INFO commandstats, the bench's INFO left out). */
  redisCommandsPerSec: Record<string, number>;
}

/**
 * The figures compared between the modes, and which way each gets worse. `hotPath` figures are
 * the turns' path (what a turn's client sees, and the CPU per chunk of the processes that carry
 * it): the target judges those. Redis's figures also count the console's own reads (a fixed rate
 * of reads, not a cost per chunk), so they are shown as the console's cost, not judged as the
 * turns' path.
 */
const figures: { key: keyof Round; label: string; worse: Worse; hotPath: boolean }[] = [
  { key: 'chunksPerSec', label: 'delivered chunks/s', worse: 'lower', hotPath: true },
  { key: 'ttftP50', label: 'TTFT p50 ms', worse: 'higher', hotPath: true },
  { key: 'ttftP99', label: 'TTFT p99 ms', worse: 'higher', hotPath: true },
  { key: 'workerUsPerChunk', label: 'worker CPU µs/chunk', worse: 'higher', hotPath: true },
  { key: 'dispatcherUsPerChunk', label: 'dispatcher CPU µs/chunk', worse: 'higher', hotPath: true },
  { key: 'redisUsPerChunk', label: 'Redis CPU µs/chunk', worse: 'higher', hotPath: false },
  { key: 'redisCommandsPerChunk', label: 'Redis commands/chunk', worse: 'higher', hotPath: false },
];

interface Snapshot {
  at: number;
  wallMs: number;
  worker: ProcSample | undefined;
  dispatcher: ProcSample | undefined;
  redis: RedisInfo;
  machine: MachineCpuSample | undefined;
  summaries: number;
  reads: number;
}

/**
 * Scenario 12: the hot path's figures with the operator console closed vs open, side by side in
 * one run. A continuous closed loop of streaming turns through a dispatcher and one worker host
 * (POST + SSE per turn, as scenario 4); measured windows alternate closed, open, closed, open…
 * where open = `consoles` emulated console pages (console-client.ts) on the same dispatcher.
 */
export async function consoleCost(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  const streams = quick ? 30 : 100;
  const roundsPerMode = quick ? 3 : 4;
  const windowMs = quick ? 4000 : 8000;
  // After switching: the pages' load and first reads (or their closing) fall before the window.
  const settleMs = quick ? 1500 : 2000;
  const consoles = 3;
  const shape = { tokens: 150, ttftMs: 200, tokensPerSecond: 60, tokensPerChunk: 3 }; // 20 chunks/s, 50 chunks, ~2.7 s a turn
  const request = benchRequest(pace(shape));
  const modes: Mode[] = Array.from({ length: roundsPerMode * 2 }, (_, i) => (i % 2 === 0 ? 'closed' : 'open'));
  const prefix = stack.prefix('console-cost');
  const worker = await stack.startWorker(prefix, { maxTurns: 1000, concurrentTasksPerWorker: 500 });
  const dispatcher = await stack.startDispatcher(prefix);
  const url = dispatcher.info.url;
  let clients: ConsoleClient[] = [];
  const pageStatuses = new Set<number | undefined>();
  const consoleErrors: string[] = [];
  const stopLoad = new AbortController();
  try {
    ctx.log(`console cost: warm-up, then ${streams} streams, ${roundsPerMode} rounds closed / open of ${windowMs / 1000} s`);
    const warm = benchRequest(pace({ ...shape, tokens: 60, ttftMs: 0, tokensPerSecond: 300 }));
    await mapLimit(Array.from({ length: streams }), streams, () => postAndFollowSse(url, warm));
    const rampMs = Math.max(1000, streams * 5);
    const steadyAfterMs = rampMs + 1500;
    // The load runs until the last window is measured (switching and snapshots take their own time on a busy machine).
    const durationMs = steadyAfterMs + modes.length * (settleMs + windowMs) * 4;
    const runP = runClosedLoop({
      stop: stopLoad.signal,
      follow: (signal) => postAndFollowSse(url, request, signal),
      lanes: streams,
      rampMs,
      durationMs,
      hardLimitMs: durationMs + 60_000,
    });
    await sleep(steadyAfterMs);
    const consoleCounts = () => ({
      summaries: clients.reduce((a, c) => a + c.stats.summaries, 0),
      reads: clients.reduce((a, c) => a + Object.values(c.stats.reads).reduce((x, y) => x + y, 0), 0),
    });
    const snapshot = async (): Promise<Snapshot> => ({
      at: performance.now(),
      wallMs: Date.now(),
      worker: readProcSample(worker.pid),
      dispatcher: readProcSample(dispatcher.pid),
      machine: readMachineCpu(),
      ...consoleCounts(),
      redis: await readRedisInfo(stack.redis),
    });
    const windows: { mode: Mode; a: Snapshot; b: Snapshot }[] = [];
    for (const mode of modes) {
      if (mode === 'open') {
        // The filtered page asks GET /v1/turns at every summary; the others show the feed's turns.
        clients = Array.from({ length: consoles }, (_, i) => openConsoleClient(url, i === 0 ? { filters: { state: 'running' } } : {}));
      }
      try {
        await sleep(settleMs);
        const a = await snapshot();
        await sleep(windowMs);
        const b = await snapshot();
        windows.push({ mode, a, b });
      } finally {
        for (const c of clients) {
          pageStatuses.add(c.stats.pageStatus);
          consoleErrors.push(...c.stats.errors);
        }
        await Promise.all(clients.map((c) => c.close()));
        clients = [];
      }
    }
    stopLoad.abort();
    const run = await runP;
    const rounds: Round[] = windows.map(({ mode, a, b }, i) => {
      const ms = b.at - a.at;
      const chunks = chunksWithin(run.turns, a.at, b.at);
      // A turn belongs to the window its submit fell in (performance.now of the submit = first chunk - TTFT).
      // A turn without a chunk has no submit time here (NaN): it is in no window's TTFT.
      const submittedAt = (t: PooledTiming) => (t.chunkAbs[0] ?? Number.NaN) - t.ttftMs;
      const started = run.turns.filter((t) => submittedAt(t) >= a.at && submittedAt(t) < b.at);
      const ttft = summarize(started.map((t) => t.ttftMs));
      const cpu = (x: ProcSample | undefined, y: ProcSample | undefined) => ((y?.cpuMs ?? Number.NaN) - (x?.cpuMs ?? Number.NaN)) * 1000;
      const commands =
        b.redis.totalCommands - a.redis.totalCommands - ((b.redis.commandCalls['info'] ?? 0) - (a.redis.commandCalls['info'] ?? 0));
      return {
        round: Math.floor(i / 2) + 1,
        mode,
        windowMs: ms,
        chunks,
        chunksPerSec: chunks / (ms / 1000),
        ttftP50: ttft.p50,
        ttftP99: ttft.p99,
        turnsStarted: started.length,
        errors: run.turns.filter((t) => t.error && t.startedAtMs >= a.wallMs && t.startedAtMs < b.wallMs).length,
        workerUsPerChunk: cpu(a.worker, b.worker) / chunks,
        dispatcherUsPerChunk: cpu(a.dispatcher, b.dispatcher) / chunks,
        redisUsPerChunk: ((b.redis.cpuMs - a.redis.cpuMs) * 1000) / chunks,
        redisCommandsPerChunk: commands / chunks,
        machineCpuPercent: machineBusyPercent(a.machine, b.machine),
        summaries: b.summaries - a.summaries,
        consoleReads: b.reads - a.reads,
        redisCommandsPerSec: Object.fromEntries(
          Object.entries(b.redis.commandCalls)
            .filter(([k]) => k !== 'info')
            .map(([k, v]) => [k, (v - (a.redis.commandCalls[k] ?? 0)) / (ms / 1000)]),
        ),
      };
    });
    const of = (mode: Mode, key: keyof Round) => rounds.filter((r) => r.mode === mode).map((r) => r[key] as number);
    const checks = figures.map((f) => ({ ...f, check: checkWithinNoise(of('closed', f.key), of('open', f.key), f.worse) }));
    const missed = checks.filter((c) => c.hotPath && !c.check.withinNoise);
    const errors = rounds.reduce((a, r) => a + r.errors, 0);
    const met = missed.length === 0 && errors === 0;
    const spread = (c: NoiseCheck['base']) => `${r2(c.mean)} (${r2(c.min)}..${r2(c.max)})`;
    const openRounds = rounds.filter((r) => r.mode === 'open');
    // Which commands the open pages added: per command, mean rate open minus mean rate closed (the top ones, for the note).
    const rateOf = (mode: Mode, cmd: string) => {
      const rs = rounds.filter((r) => r.mode === mode);
      return rs.reduce((x, r) => x + (r.redisCommandsPerSec[cmd] ?? 0), 0) / Math.max(1, rs.length);
    };
    const addedByCommand = [...new Set(rounds.flatMap((r) => Object.keys(r.redisCommandsPerSec)))]
      .map((cmd) => ({ cmd, perSec: rateOf('open', cmd) - rateOf('closed', cmd) }))
      .sort((x, y) => y.perSec - x.perSec);
    // The console's Redis reads are a fixed rate, not a per-chunk cost: per chunk they weigh more the fewer chunks the machine delivers.
    const cmdsCheck = checks.find((c) => c.key === 'redisCommandsPerChunk')?.check;
    const chunksCheck = checks.find((c) => c.key === 'chunksPerSec')?.check;
    const consoleRedisPerSec =
      cmdsCheck && chunksCheck ? (cmdsCheck.variant.mean - cmdsCheck.base.mean) * chunksCheck.variant.mean : Number.NaN;
    const perOpenWindow = (k: 'summaries' | 'consoleReads') =>
      r2(openRounds.reduce((a, r) => a + r[k], 0) / Math.max(1, openRounds.length));
    return {
      id: 'console-cost',
      title: '12. Console cost: the hot path with the operator console closed vs open',
      setup:
        `one continuous closed loop of ${streams} streaming turns (each: TTFT ${shape.ttftMs} ms, 20 chunks/s, 50 chunks) POSTed to a dispatcher and followed over its SSE, one worker host (piscina, 2 threads), each in its own process; ` +
        `after the ramp, ${modes.length} windows of ${windowMs / 1000} s alternate console closed / open (${roundsPerMode} each, closed first), each after ${settleMs / 1000} s for the switch; ` +
        `open = ${consoles} emulated console pages on the same dispatcher: GET /console/, GET /v1/console/feed held open (default 2 s interval), /v1/quotas and /v1/models at once and then on a summary every 4 s / 30 s, ` +
        "and one of the pages with the turns table filtered (state=running), which asks GET /v1/turns?limit=50 at every summary. CPU from /proc/<pid>/stat per window, Redis from INFO (commands exclude the bench's INFO)",
      tables: [
        {
          title: 'Rounds in run order (CPU and commands per delivered chunk within the window)',
          headers: [
            'round',
            'console',
            'summaries',
            'console reads',
            'chunks/s',
            'TTFT p50',
            'TTFT p99',
            'turns started',
            'errors',
            'worker µs/chunk',
            'dispatcher µs/chunk',
            'Redis µs/chunk',
            'Redis cmds/chunk',
            'machine CPU %',
          ],
          rows: rounds.map((r) => [
            r.round,
            r.mode,
            r.summaries,
            r.consoleReads,
            Math.round(r.chunksPerSec),
            Math.round(r.ttftP50),
            Math.round(r.ttftP99),
            r.turnsStarted,
            r.errors,
            r2(r.workerUsPerChunk),
            r2(r.dispatcherUsPerChunk),
            r2(r.redisUsPerChunk),
            r2(r.redisCommandsPerChunk),
            Math.round(r.machineCpuPercent),
          ]),
        },
        {
          title:
            "Closed vs open: mean over the rounds (min..max), open / closed, and whether open is within noise (at most 5 % worse, or within the closed rounds' min..max)",
          headers: ['figure', 'closed', 'open', 'open / closed', 'open worse by', 'within noise'],
          rows: checks.map((c) => [
            c.hotPath ? c.label : `${c.label} (incl. the console's reads; not judged)`,
            spread(c.check.base),
            spread(c.check.variant),
            r2(c.check.ratio),
            pct(c.check.worseBy),
            c.check.withinNoise ? 'yes' : 'no',
          ]) as ResultTable['rows'],
        },
      ],
      notes: [
        `Per open window the ${consoles} pages read ${perOpenWindow('summaries')} summaries and made ${perOpenWindow('consoleReads')} JSON reads; GET /console/ answered ${[...pageStatuses].map(String).join(', ')}` +
          (pageStatuses.has(404)
            ? " (the dispatcher found no console build, so the page's files were a 404: their cost, served from memory once per page load, is not in these figures)."
            : '.'),
        'The pages are emulated in the bench process, not opened in a browser: on this 2-core machine a headless Chromium would take the CPU the worker host, dispatcher, Redis and emulator share, and the figures would measure Chromium, not turnpool. ' +
          "The emulation does the overview page's requests and parses every summary as apps/console/src (use-feed.ts, use-api-data.ts, turns-table.tsx) does; it renders nothing.",
        "The worker threads write the turn record (start / first token / end, libs/turn-store/src/record) whether a console is open or not, so both modes include it; what differs is only what the open pages cause: the feed's one read set per interval shared by all pages, the pages' reads, and the SSE writes to them.",
        `Redis commands per chunk, open minus closed, times the open rounds' chunks/s: about ${Math.round(consoleRedisPerSec)} commands/s the open pages caused (the feed's shared read set every 2 s: queue counts, hosts, model minutes, the 50 newest turns; the pages' quotas and filtered turns reads). ` +
          'That is a fixed rate whatever the load, so per chunk it weighs more the fewer chunks the run delivers. ' +
          `Commands with the largest rate added (open minus closed, per second; the turns' own commands move with chunks/s too): ${addedByCommand
            .slice(0, 5)
            .map((c) => `${c.cmd} ${Math.round(c.perSec)}`)
            .join(', ')}.`,
        "Windows alternate so that the machine's drift falls on both modes; the rounds' spread (min..max) is the noise this run saw. Dispatcher and Redis figures include the console's own reads (their cost), the others are the turns' path alone.",
        ...(consoleErrors.length > 0
          ? [`Console client errors (first ${Math.min(5, consoleErrors.length)}): ${consoleErrors.slice(0, 5).join('; ')}`]
          : []),
      ],
      targets: [
        {
          target:
            "console open: the turns' path within noise (chunks/s, TTFT p50/p99, worker and dispatcher CPU per chunk; <= 5 % or within the rounds' spread)",
          measured:
            checks
              .filter((c) => c.hotPath)
              .map((c) => `${c.label} ${r2(c.check.ratio)}x`)
              .join(', ') + ` (open / closed, ${roundsPerMode} rounds each); errors ${errors}`,
          met,
          ...(met
            ? {}
            : {
                cause:
                  missed.length > 0
                    ? `Outside noise with the console open: ${missed.map((c) => `${c.label} ${pct(c.check.worseBy)} worse (closed ${spread(c.check.base)}, open ${spread(c.check.variant)})`).join('; ')}.`
                    : `${errors} turns failed during the measured windows.`,
              }),
        },
      ],
      data: {
        streams,
        consoles,
        roundsPerMode,
        windowMs,
        settleMs,
        rounds,
        consoleRedisCommandsPerSec: consoleRedisPerSec,
        redisCommandsAddedPerSec: Object.fromEntries(addedByCommand.map((c) => [c.cmd, c.perSec])),
        checks: checks.map((c) => ({ figure: c.label, key: c.key, worse: c.worse, ...c.check })),
        pageStatuses: [...pageStatuses],
        consoleErrors: consoleErrors.slice(0, 20),
      },
    };
  } finally {
    stopLoad.abort();
    await Promise.all(clients.map((c) => c.close()));
    await dispatcher.stop();
    await worker.stop();
    await stack.cleanup(prefix);
  }
}
