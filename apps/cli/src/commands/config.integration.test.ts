import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sourceExecArgv } from '@turnpool/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { turnpoolBin as bin } from '../turnpool-bin.ts';

const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'turnpool-cli-proc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('turnpool config as a real process', () => {
  it('`turnpool config path` prints the file found in the working directory', async () => {
    await writeFile(join(dir, 'turnpool.json5'), '{}');
    const env = { ...process.env, HOME: dir, TURNPOOL_CONFIG: '' };
    const { stdout } = await run(process.execPath, [...sourceExecArgv, bin, 'config', 'path'], { cwd: dir, env });
    expect(stdout).toBe(`${join(dir, 'turnpool.json5')} (from turnpool.json5 in the current directory)\n`);
  });

  it('`turnpool config validate` exits 1 with the problem on stderr', async () => {
    await writeFile(join(dir, 'turnpool.json5'), '{\n  timeouts: { idleMs: "soon" },\n}\n');
    const env = { ...process.env, HOME: dir, TURNPOOL_CONFIG: '' };
    const err = await run(process.execPath, [...sourceExecArgv, bin, 'config', 'validate'], { cwd: dir, env }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain(':2: timeouts.idleMs: expected number, got "soon"');
  });
});
