import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxExecArgv } from '@turnpool/testing';
import { describe, expect, it } from 'vitest';
import { scenarios } from './run-scenarios.ts';

const mainFile = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * `npm run chaos -- <args>` without setup in front: the real process. A run that starts a
 * scenario (the old behaviour for an unknown flag: a full run that rewrites docs/reliability.md)
 * is killed with its whole process group at its first "[chaos] N." line, so this test can fail
 * but can never run the chaos suite.
 */
function runChaos(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
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
      if (/\[chaos\] \d+\./.test(stderr)) killGroup();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('npm run chaos: flags', () => {
  it.each([
    [['--quick'], "Unknown option '--quick'"],
    [['--only'], "'--only <value>' argument missing"],
    [['--only', '1,99'], `--only takes scenario numbers from ${Object.keys(scenarios).join(',')}, got "1,99"`],
  ])(
    '%j: exit 2 before any scenario runs, naming the problem, with the usage and the quick form',
    async (args, message) => {
      const r = await runChaos(args);
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 2, signal: null });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: npm run chaos -- [--only');
      expect(r.stderr).toContain('npx nx run chaos:test');
      expect(r.stderr).not.toMatch(/\[chaos\] \d+\./);
      expect(r.stdout).toBe('');
    },
    90_000,
  );
});
