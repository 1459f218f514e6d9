import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnTurnpool } from '@turnpool/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeNodeVersionNote, turnpoolStateDir } from './node-version-note.ts';
import { turnpoolBin } from './turnpool-bin.ts';

const oldNode = Number(process.versions.node.split('.')[0]) < 22;
let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'turnpool-node-note-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** `turnpool <args>` as users run it: the SDK warning switch unset (spawnTurnpool sets it by default). */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const p = spawnTurnpool(turnpoolBin, args, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
    XDG_STATE_HOME: undefined,
    ...env,
  });
  expect(await p.exited).toBe(0);
  return p.output();
}

describe('the Node version note', () => {
  it.skipIf(!oldNode)(
    'is printed on the first start on this machine only, remembered in ~/.local/state/turnpool (real processes)',
    async () => {
      const first = await run(['start', '--help'], { HOME: home });
      expect(first).toContain(`note: Node ${process.versions.node} works; AWS SDK releases after January 2027 will need Node 22+.`);
      expect(existsSync(path.join(home, '.local/state/turnpool/node-version-note'))).toBe(true);
      const second = await run(['start', '--help'], { HOME: home });
      expect(second).toContain('Usage: turnpool start');
      expect(second).not.toContain('note: Node');
      expect(await run(['worker', '--help'], { HOME: home })).not.toContain('note: Node');
    },
    120_000,
  );

  it.skipIf(!oldNode)(
    'uses $XDG_STATE_HOME/turnpool when XDG_STATE_HOME is set (real process)',
    async () => {
      const xdg = path.join(home, 'xdg-state');
      expect(await run(['dispatcher', '--help'], { HOME: home, XDG_STATE_HOME: xdg })).toContain('note: Node');
      expect(existsSync(path.join(xdg, 'turnpool/node-version-note'))).toBe(true);
      expect(existsSync(path.join(home, '.local/state/turnpool'))).toBe(false);
    },
    60_000,
  );

  it('is never printed on Node 22+, and printed (again next time) when the state dir cannot be written', () => {
    expect(takeNodeVersionNote({ env: {}, homeDir: home, nodeVersion: '22.12.0' })).toBeUndefined();
    // A plain file where the state dir would go, so the marker cannot be written.
    const blocked = path.join(home, 'not-a-dir');
    writeFileSync(blocked, '');
    const env = { XDG_STATE_HOME: blocked };
    expect(takeNodeVersionNote({ env, homeDir: home, nodeVersion: '20.19.0' })).toContain('note: Node 20.19.0');
    expect(takeNodeVersionNote({ env, homeDir: home, nodeVersion: '20.19.0' })).toContain('note: Node 20.19.0');
  });

  it('ignores a relative XDG_STATE_HOME, as the XDG spec says', () => {
    expect(turnpoolStateDir({ XDG_STATE_HOME: 'relative/dir' }, '/home/u')).toBe('/home/u/.local/state/turnpool');
    expect(turnpoolStateDir({ XDG_STATE_HOME: '/var/state' }, '/home/u')).toBe('/var/state/turnpool');
  });
});
