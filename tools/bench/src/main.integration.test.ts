import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxExecArgv } from '@turnpool/testing';
import { describe, expect, it } from 'vitest';

const mainFile = fileURLToPath(new URL('./main.ts', import.meta.url));

/** `npm run bench -- <args>` without setup in front; killed (with its process group) if it starts a run. */
function runBench(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...tsxExecArgv, mainFile, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(killGroup, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/\[bench [\d:]+\] (quick|full) run/.test(stderr)) killGroup();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('npm run bench: flags', () => {
  it.each([
    [['--quick', '--bogus'], "Unknown option '--bogus'"],
    [['--only'], "'--only <value>' argument missing"],
    [['--only', 'nope'], 'unknown scenario nope'],
    [['--merge', 'x.json', '--quick'], '--merge needs a results file and takes no other flag'],
  ])(
    '%j: exit 2 before anything runs, naming the problem, with the usage',
    async (args, message) => {
      const r = await runBench(args);
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 2, signal: null });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: npm run bench -- [--quick]');
      expect(r.stdout).toBe('');
    },
    90_000,
  );
});
