import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnTurnpool } from '@turnpool/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from './commands.ts';
import { turnpoolBin } from './turnpool-bin.ts';

// Usage errors as users meet them: the real `turnpool` process, its exit code and what it prints.
// Every case must fail fast, before the command touches Redis, AWS or the network.
let home: string;
beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'turnpool-usage-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number | string; output: string }> {
  const p = spawnTurnpool(turnpoolBin, args, { HOME: home, XDG_STATE_HOME: path.join(home, 'state'), AWS_EC2_METADATA_DISABLED: 'true' });
  const timer = setTimeout(() => {
    void p.stop('SIGKILL');
  }, 60_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output() };
}

/** Runs every case, two processes at a time (the machine is shared). */
async function runAll(cases: string[][]): Promise<Map<string[], { code: number | string; output: string }>> {
  const results = new Map<string[], { code: number | string; output: string }>();
  const queue = [...cases];
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) results.set(next, await run(next));
    }),
  );
  return results;
}

describe('turnpool refuses unknown flags (real processes)', () => {
  it('every command exits 2 on an unknown flag, naming it, and prints its usage', async () => {
    const names = Object.keys(commands);
    const cases = names.map((name) => [name, '--quick']);
    const results = await runAll(cases);
    for (const [args, r] of results) {
      const name = args[0] as string;
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.output, name).toContain("'--quick'");
      const command = await (commands[name] as (typeof commands)[string]).load();
      // start, dispatcher and worker print the one-line flag error of their shared stack parser.
      if (command.help !== undefined) expect(r.output, name).toContain(`Usage: turnpool ${name}`);
    }
  }, 300_000);

  it('subcommands refuse unknown flags and flags of another subcommand; models and turnpool without a subcommand are usage errors', async () => {
    const cases: [string[], string][] = [
      [['config', 'get', 'redis', '--bogus'], "'--bogus'"],
      [['config', 'get', 'redis.url', '--string'], '--string is an option of "config set" only'],
      [['models', 'list', '--bogus'], "'--bogus'"],
      [['models', 'refresh', '--json'], '--json is an option of "models list" only'],
      [['models'], 'missing subcommand: list or refresh'],
      [['credentials', 'extra'], "Unexpected argument 'extra'"],
      [['turns', 'tail', 't1', '--bogus'], "'--bogus'"],
      [['chat', 'hello', '--bogus'], "'--bogus'"],
      [[], 'missing command'],
    ];
    const results = await runAll(cases.map(([args]) => args));
    for (const [args, expected] of cases) {
      const r = results.get(args);
      expect({ args, code: r?.code }).toEqual({ args, code: 2 });
      expect(r?.output).toContain(expected);
      expect(r?.output).toContain(`Usage: turnpool ${args[0] ?? '<command>'}`);
    }
  }, 300_000);
});
