import { spawn, type ChildProcess } from 'node:child_process';
import { sourceExecArgv } from './source-exec-argv.ts';

export interface TurnpoolProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout + stderr). */
  output(): string;
  /** Resolves with the first match of `re` in the output; rejects if the process exits first or after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal (default SIGTERM) and resolves with the exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
  /** The exit code (or signal), or `'still running'` when the process has not exited within `timeoutMs`. */
  exitWithin(timeoutMs: number): Promise<number | string>;
}

/**
 * Runs `turnpool <args>` as a real child process (the CLI entry, exactly as users run it, on the
 * TypeScript sources: `sourceExecArgv`), for
 * tests and harnesses that need separate worker hosts or dispatchers: kill -9 them, restart them.
 * `bin` is the CLI entry: `turnpoolBin` from @turnpool/cli, so the caller's dependency on the
 * CLI is an import the module-boundary rules see (a util lib may not depend on the CLI).
 */
export function spawnTurnpool(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): TurnpoolProcess {
  const child = spawn(process.execPath, [...sourceExecArgv, bin, ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.length > 1_000_000) out = out.slice(-500_000);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // 'close', not 'exit': it comes after stdout and stderr ended, so output() then holds the last line.
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, sig) => resolve(code ?? sig ?? 'unknown')));
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`turnpool ${args.join(' ')}: no ${re} within ${timeoutMs} ms; output:\n${out.slice(-2000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`turnpool ${args.join(' ')} exited (${code}) before ${re}; output:\n${out.slice(-2000)}`));
        });
        check();
      });
    },
    exitWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still running'), timeoutMs);
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
