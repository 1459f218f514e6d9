import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxExecArgv } from '@turnpool/testing';

/** A bench child process (tsx-loaded TypeScript) that prints `READY <json>` once it serves. */
export interface BenchChild<R> {
  readonly pid: number;
  readonly child: ChildProcess;
  /** The JSON after READY. */
  readonly info: R;
  /** Resolves with the JSON line a child prints as `RESULT <json>` (direct readers). */
  result<T>(timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process exited. */
  stop(graceMs?: number): Promise<void>;
  output(): string;
}

const childDir = new URL('./children/', import.meta.url);

/**
 * Starts `children/<name>.ts` from the sources (`node --conditions=@turnpool/source --import tsx`), its options as JSON in BENCH_OPTS,
 * and waits (at most `readyTimeoutMs`) for its READY line.
 */
export async function spawnBenchChild<R>(
  name: string,
  opts: object,
  env: NodeJS.ProcessEnv = {},
  readyTimeoutMs = 60_000,
): Promise<BenchChild<R>> {
  const file = fileURLToPath(new URL(`${name}.ts`, childDir));
  // BENCH_CPU_PROF=<dir> profiles every child (one .cpuprofile per thread) for finding hot spots.
  const prof = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  const child = spawn(process.execPath, [...prof, ...tsxExecArgv, file], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env, BENCH_OPTS: JSON.stringify(opts) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const w of [...waiters]) w();
  });
  const waitLine = <T>(tag: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const re = new RegExp(`^${tag} (.*)$`, 'm');
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`bench child ${name}: no ${tag} within ${timeoutMs} ms:\n${out.slice(-3000)}`));
      }, timeoutMs);
      const check = () => {
        const m = re.exec(out);
        if (m) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(JSON.parse(m[1] as string) as T);
        } else if (gone) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`bench child ${name} exited before ${tag}:\n${out.slice(-3000)}`));
        }
      };
      waiters.add(check);
      check();
    });
  const info = await waitLine<R>('READY', readyTimeoutMs).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    pid: child.pid as number,
    child,
    info,
    result: (timeoutMs) => waitLine('RESULT', timeoutMs),
    async stop(graceMs = 10_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    output: () => out,
  };
}
