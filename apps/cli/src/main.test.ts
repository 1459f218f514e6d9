import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import type { CliIo } from './cli-io.ts';

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: {},
    cwd: process.cwd(),
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

describe('turnpool main', () => {
  it('prints usage for --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('Usage: turnpool <command>');
  });

  it('without a command: usage on stderr, exit 2 like every usage error', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.stderr).toContain('Usage: turnpool <command>');
    expect(io.stdout).toBe('');
  });

  it('names an unknown command and exits 2', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toContain('unknown command "frobnicate"');
  });

  it('does not treat prototype keys as commands', async () => {
    const io = captureIo();
    expect(await main(['__proto__'], io)).toBe(2);
    expect(await main(['constructor'], io)).toBe(2);
  });
});
