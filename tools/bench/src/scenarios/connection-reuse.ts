import { request } from 'node:https';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { CredentialInfo } from '@turnpool/credentials';
import { createBedrockClients } from '@turnpool/credentials/clients';
import { pace } from '../bench-model.ts';
import { emulatorDefaults } from '../bench-stack.ts';
import { runDirectStream, type StreamTiming } from '../direct-stream.ts';
import { summarize } from '../percentiles.ts';
import { readProcSample, type ProcSample } from '../proc-stats.ts';
import type { ResultTable, ScenarioContext, ScenarioResult, TargetCheck } from '../scenario.ts';
import { spawnBenchChild } from '../spawn-child.ts';

const benchKeys: CredentialInfo = { source: 'static-keys', present: true, identityHash: '0'.repeat(16), detail: 'bench keys', notes: [] };
const r2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: readonly number[]) => summarize(xs).p50;

type Mode = 'per-call' | 'shared';

/** One round of one mode: `conc` turns at once, `waves` times; TTFT sample and CPU per turn. */
interface RoundFigures {
  ttft: number[];
  clientCpuMsPerTurn: number;
  emulatorCpuMsPerTurn: number;
  connections: number;
  errors: number;
}

/**
 * The emulator's counters over HTTPS/1.1, trusting its own certificate. `agent: false`: every read
 * opens exactly one connection of its own, which `connections` below takes off again.
 */
function emulatorStats(url: string, ca: string): Promise<{ connections: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/_emulator/stats`, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as { connections: number });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const cpuMs = (a: ProcSample | undefined, b: ProcSample | undefined) => (a && b ? b.cpuMs - a.cpuMs : Number.NaN);

/**
 * Issue 12 item 3: ConverseStream over TLS with a connection per call (the SDK's default for event
 * streams) against HTTP/2 sessions shared by concurrent streams (SharedSessionHttp2Handler), each
 * through createBedrockClients as the worker threads build them, against a TLS emulator in its own
 * process. Modes alternate round by round (drift cancels); each figure is the median of the rounds.
 */
export async function connectionReuse(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { quick } = ctx;
  const shape = { tokens: 30, ttftMs: 50, tokensPerSecond: 300, tokensPerChunk: 3 };
  const directives = pace(shape);
  const plan: { conc: number; waves: number }[] = [
    { conc: 1, waves: quick ? 10 : 30 },
    { conc: 10, waves: quick ? 3 : 8 },
    { conc: 50, waves: quick ? 2 : 4 },
  ];
  const rounds = quick ? 3 : 7;
  const emu = await spawnBenchChild<{ url: string; ca: string }>('emulator-child', { ...emulatorDefaults, tls: true });
  const { url, ca } = emu.info;
  const clientFor = (mode: Mode): BedrockRuntimeClient =>
    createBedrockClients({
      region: 'us-east-1',
      endpoint: url,
      ca,
      maxAttempts: 1,
      sessionReuse: mode === 'shared',
      credentials: benchKeys,
      env: { AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench-secret' },
    }).runtime;
  const clients: Record<Mode, BedrockRuntimeClient> = { 'per-call': clientFor('per-call'), shared: clientFor('shared') };
  const rows: ResultTable['rows'] = [];
  const data: Record<string, unknown> = { shape, rounds };
  const targets: TargetCheck[] = [];
  let errors = 0;
  const runRound = async (mode: Mode, conc: number, waves: number): Promise<RoundFigures> => {
    const before = await emulatorStats(url, ca);
    const cpu0 = process.cpuUsage();
    const emu0 = readProcSample(emu.pid);
    const timings: StreamTiming[] = [];
    for (let w = 0; w < waves; w++)
      timings.push(...(await Promise.all(Array.from({ length: conc }, () => runDirectStream(clients[mode], directives)))));
    const cpu = process.cpuUsage(cpu0);
    const emu1 = readProcSample(emu.pid);
    const after = await emulatorStats(url, ca);
    const n = timings.length;
    return {
      ttft: timings.filter((t) => !t.error).map((t) => t.ttftMs),
      clientCpuMsPerTurn: (cpu.user + cpu.system) / 1000 / n,
      emulatorCpuMsPerTurn: cpuMs(emu0, emu1) / n,
      connections: after.connections - before.connections - 1, // the `after` read's own connection
      errors: timings.filter((t) => t.error).length,
    };
  };
  try {
    // Warm both clients (JIT, the shared client's session) outside the measurement.
    for (const mode of ['per-call', 'shared'] as const)
      await Promise.all(Array.from({ length: 10 }, () => runDirectStream(clients[mode], directives)));
    for (const { conc, waves } of plan) {
      ctx.log(`connection reuse: concurrency ${conc}, ${waves} waves, ${rounds} rounds per mode`);
      const byMode: Record<Mode, RoundFigures[]> = { 'per-call': [], shared: [] };
      for (let r = 0; r < rounds; r++) {
        const order: Mode[] = r % 2 === 0 ? ['per-call', 'shared'] : ['shared', 'per-call'];
        for (const mode of order) byMode[mode].push(await runRound(mode, conc, waves));
      }
      const summary = {} as Record<Mode, { p50: number; p95: number; cpu: number; emuCpu: number; conns: number }>;
      for (const mode of ['per-call', 'shared'] as const) {
        const rs = byMode[mode];
        errors += rs.reduce((a, x) => a + x.errors, 0);
        const s = {
          p50: median(rs.map((x) => summarize(x.ttft).p50)),
          p95: median(rs.map((x) => summarize(x.ttft).p95)),
          cpu: median(rs.map((x) => x.clientCpuMsPerTurn)),
          emuCpu: median(rs.map((x) => x.emulatorCpuMsPerTurn)),
          conns: median(rs.map((x) => x.connections)),
        };
        summary[mode] = s;
        rows.push([conc, mode, conc * waves, r2(s.p50), r2(s.p95), r2(s.cpu), r2(s.emuCpu), s.conns]);
      }
      // Per round: its TTFT p50/p95 and the rest (not every turn's TTFT: the medians above come from these).
      const perRound = (rs: RoundFigures[]) =>
        rs.map(({ ttft, ...rest }) => ({ ttftP50: summarize(ttft).p50, ttftP95: summarize(ttft).p95, ...rest }));
      data[`c${conc}`] = { waves, ...summary, rounds: { 'per-call': perRound(byMode['per-call']), shared: perRound(byMode.shared) } };
      if (conc === 10) {
        const won = summary.shared.p50 <= summary['per-call'].p50 && summary.shared.cpu <= summary['per-call'].cpu;
        targets.push({
          target: 'shared sessions no worse than a connection per call (TTFT p50 and client CPU per turn, concurrency 10)',
          measured: `TTFT p50 ${r2(summary.shared.p50)} vs ${r2(summary['per-call'].p50)} ms, CPU ${r2(summary.shared.cpu)} vs ${r2(summary['per-call'].cpu)} ms/turn`,
          met: won,
          ...(won ? {} : { cause: 'see the table: the shared session lost on this run' }),
        });
      }
    }
  } finally {
    clients['per-call'].destroy();
    clients.shared.destroy();
    await emu.stop(5000);
  }
  data['errors'] = errors;
  return {
    id: 'connection-reuse',
    title: '10. Connections to Bedrock: a TLS connection per ConverseStream call vs shared HTTP/2 sessions',
    setup:
      `TLS emulator in its own process (self-signed certificate, trusted through the client's \`ca\`), TTFT ${shape.ttftMs} ms, ${shape.tokens} tokens at ${shape.tokensPerSecond}/s; ` +
      `clients from createBedrockClients in the bench process (sessionReuse false / true, ${rounds} alternating rounds per mode and concurrency, figures = median of the rounds' values); ` +
      `waves per round ${plan.map((p) => `${p.conc}:${p.waves}`).join(', ')}; errors ${errors}`,
    tables: [
      {
        title: 'TTFT (ms), CPU per turn (ms) and connections the emulator accepted per round',
        headers: ['conc', 'mode', 'turns/round', 'TTFT p50', 'TTFT p95', 'client CPU/turn', 'emulator CPU/turn', 'connections/round'],
        rows,
      },
    ],
    notes: [
      "per-call = the SDK's NodeHttp2Handler as is (every event-stream call gets an isolated session: TCP connect + TLS handshake); shared = SharedSessionHttp2Handler (streamsPerSession 32).",
      "Client CPU is the bench process's own (process.cpuUsage: the SDK, TLS and HTTP/2 of the calls); emulator CPU is the emulator process's (its side of the handshakes).",
      'Loopback: no network round trips, so the TTFT gap is CPU only; against a real region each new connection adds the TCP + TLS round trips (2-3 RTT) on top.',
    ],
    targets,
    data,
  };
}
