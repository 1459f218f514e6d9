import { directClient, runDirectStream } from '../direct-stream.ts';
import { summarize } from '../percentiles.ts';
import { childOpts } from './child-opts.ts';

// The direct SDK client alone in a process: reads `streams` concurrent ConverseStream answers
// (`total` in all) and reports its own CPU time, so CPU per event has a clean floor to compare with.
const o = childOpts<{ emulatorUrl: string; directives: string; streams: number; total: number; rampMs?: number }>();
const client = directClient(o.emulatorUrl);
process.stdout.write(`READY ${JSON.stringify({ pid: process.pid })}\n`);
// Warm up (connection, SDK code paths, JIT) outside the measurement: one round at full concurrency.
await Promise.all(
  Array.from({ length: Math.min(o.streams, 300) }, () => runDirectStream(client, '[[tokens 60]] [[ttft-ms 0]] [[tokens-per-second 300]]')),
);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let started = 0;
let chunks = 0;
let errors = 0;
const ttft: number[] = [];
const lane = async (i: number) => {
  // Lane starts spread over rampMs, like the pooled closed loop.
  await new Promise((r) => setTimeout(r, ((o.rampMs ?? 0) * i) / Math.max(1, o.streams)));
  while (started < o.total) {
    started++;
    const r = await runDirectStream(client, o.directives);
    chunks += r.chunks;
    ttft.push(r.ttftMs);
    if (r.error) errors++;
  }
};
await Promise.all(Array.from({ length: Math.min(o.streams, o.total) }, (_, i) => lane(i)));
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
client.destroy();
process.stdout.write(
  `RESULT ${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, sysMs: cpu.system / 1000, wallMs, chunks, turns: started, errors, ttft: summarize(ttft) })}\n`,
);
process.exit(0);
