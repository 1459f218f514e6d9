import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourceExecArgv } from '@turnpool/testing';
import { emulatorEnv } from '../bench-stack.ts';
import { summarize } from '../percentiles.ts';
import type { ScenarioContext, ScenarioResult } from '../scenario.ts';

const bin = fileURLToPath(new URL('../../../../apps/cli/bin/turnpool.mjs', import.meta.url));
const builtCli = fileURLToPath(new URL('../../../../apps/cli/dist/main.js', import.meta.url));
const bundledCli = fileURLToPath(new URL('../../../../apps/cli/bundle/main.js', import.meta.url));

/** How the `turnpool` bin is started: from the sources through tsx (as before the build), or built. */
interface Mode {
  label: string;
  execArgv: readonly string[];
  env: NodeJS.ProcessEnv;
}
const modes: Record<'cold' | 'warm' | 'files' | 'dist', Mode> = {
  // tsx compiles every module it loads; with its cache off (a fresh machine, a new tsx or Node
  // version, a changed file) that is what `npx turnpool` paid on every start.
  cold: { label: 'sources via tsx, tsx cache off', execArgv: sourceExecArgv, env: { TSX_DISABLE_CACHE: '1' } },
  warm: { label: 'sources via tsx, tsx cache warm', execArgv: sourceExecArgv, env: {} },
  // Built: dist/ as tsc writes it, one file per module (what the bin runs without a bundle).
  files: { label: 'built dist/, one file per module', execArgv: [], env: { TURNPOOL_BUNDLE: '0' } },
  // Built and bundled (nx bundle cli): what `npm start` and the bin run.
  dist: { label: 'built and bundled (bundle/)', execArgv: [], env: {} },
};

/** Milliseconds from spawning `node <bin> <args>` to `until` in its output (or to its exit when `until` is omitted). */
function timeStart(mode: Mode, args: string[], env: NodeJS.ProcessEnv, until?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...mode.execArgv, bin, ...args], {
      env: { ...env, ...mode.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let ms: number | undefined;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until && ms === undefined && until.test(out)) {
        ms = performance.now() - t0;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (!until) ms = code === 0 ? performance.now() - t0 : undefined;
      if (ms === undefined)
        reject(new Error(`turnpool ${args.join(' ')} (${mode.label}) did not ${until ? `print ${until}` : 'exit 0'}: ${out.slice(-500)}`));
      else resolve(ms);
    });
  });
}

const r0 = (n: number) => Math.round(n);
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Scenario 10: how long the `turnpool` command takes to start, from its TypeScript sources
 * through tsx (what every start did before the build) and built (dist/), side by side:
 * `turnpool --help` to its exit, `turnpool worker` to its ready line. Runs alternate between
 * the modes, so drift on a shared machine hits all of them alike; the medians are compared.
 */
export async function cliStartup(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  if (!existsSync(builtCli) || !existsSync(bundledCli))
    throw new Error('apps/cli is not built and bundled: npx nx bundle cli (npm run bench does it first)');
  const runs = quick ? 3 : 9;
  const prefix = stack.prefix('startup');
  const workerEnv = {
    ...emulatorEnv(stack.emulatorUrl),
    TURNPOOL_KEY_PREFIX: prefix,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const commands = [
    { name: 'turnpool --help', args: ['--help'], env: { ...process.env }, until: undefined },
    {
      name: 'turnpool worker (to its ready line)',
      args: ['worker', '--redis-url', stack.redisUrl, '--log-level', 'warn'],
      env: workerEnv,
      until: /worker host \S+ ready/,
    },
  ];
  const rows: (string | number)[][] = [];
  const data: Record<string, unknown> = { runs };
  const ratios: { name: string; cold: number; warm: number; files: number }[] = [];
  for (const c of commands) {
    await timeStart(modes.dist, c.args, c.env, c.until); // one unmeasured start (disk cache, tsx cache) per command
    await timeStart(modes.warm, c.args, c.env, c.until);
    const samples: Record<keyof typeof modes, number[]> = { cold: [], warm: [], files: [], dist: [] };
    for (let i = 0; i < runs; i++) {
      for (const m of ['cold', 'warm', 'files', 'dist'] as const) samples[m].push(await timeStart(modes[m], c.args, c.env, c.until));
    }
    const med = {
      cold: summarize(samples.cold).p50,
      warm: summarize(samples.warm).p50,
      files: summarize(samples.files).p50,
      dist: summarize(samples.dist).p50,
    };
    ctx.log(
      `${c.name}: median ${r0(med.cold)} / ${r0(med.warm)} / ${r0(med.files)} / ${r0(med.dist)} ms (tsx cold / tsx warm / dist files / bundle)`,
    );
    rows.push([
      c.name,
      r0(med.cold),
      r0(med.warm),
      r0(med.files),
      r0(med.dist),
      `${r1(med.cold / med.dist)}×`,
      `${r1(med.warm / med.dist)}×`,
      `${r1(med.cold / med.files)}×`,
    ]);
    ratios.push({ name: c.name, cold: med.cold / med.dist, warm: med.warm / med.dist, files: med.cold / med.files });
    data[c.name] = samples;
  }
  const worst = (k: 'cold' | 'warm' | 'files') => Math.min(...ratios.map((r) => r[k]));
  return {
    id: 'startup',
    title: '11. CLI start time: TypeScript sources through tsx vs the built JavaScript',
    setup:
      `\`node apps/cli/bin/turnpool.mjs\` started ${runs} times per mode, modes alternating: from the sources with ` +
      '`--conditions=@turnpool/source` and tsx (what every start did before the build; "cache off" = `TSX_DISABLE_CACHE=1`, ' +
      'as on a first run or after any change, "warm" = tsx\'s compile cache filled by the previous run), built (`apps/cli/dist` as tsc ' +
      'writes it, one file per module; `TURNPOOL_BUNDLE=0`) and built and bundled (`apps/cli/bundle`, `nx bundle cli`: what `npm start` ' +
      'and the bin run). `--help` is timed to its exit, `worker` (on the emulator and the bench Redis) to its ready line.',
    tables: [
      {
        title: 'Median start time (ms) and how many times faster the built CLI starts',
        headers: [
          'command',
          'tsx, cache off',
          'tsx, cache warm',
          'built, dist/ files',
          'built, bundled',
          'bundled vs cache off',
          'bundled vs warm',
          'dist/ files vs cache off',
        ],
        rows,
      },
    ],
    notes: [
      'Built, the piscina threads start without tsx too: a thread loads bundle/thread/run-turn-task.js (dist/thread/run-turn-task.js unbundled).',
      "The worker host's main thread loads no AWS SDK and no emulator before its ready line (the threads load the SDK; apps/cli/src/e2e/worker-start-modules.integration.test.ts).",
    ],
    targets: [
      {
        target: 'built CLI starts ≥3× faster (median), `--help` and `worker`, vs tsx compiling the sources',
        measured: `≥${r1(worst('cold'))}×`,
        met: worst('cold') >= 3,
        ...(worst('cold') >= 3
          ? {}
          : {
              cause:
                'What remains of a bundled start is Node itself (~40 ms), compiling the bundle (BullMQ, ioredis, zod, pino) and the Redis round trips of the start (config guard, queue and worker connections), which neither a build nor a bundle shrinks.',
            }),
      },
      {
        target: 'the same against tsx with a warm compile cache',
        measured: `≥${r1(worst('warm'))}×`,
        met: worst('warm') >= 3,
        ...(worst('warm') >= 3
          ? {}
          : {
              cause:
                'With its cache warm tsx only hashes and reads cached output; what remains is what the bundled start pays too: Node, compiling BullMQ, ioredis and zod, and the Redis round trips.',
            }),
      },
    ],
    data,
  };
}
