import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Commands whose first run on a machine with Node < 22 prints the note: the ones that run the stack. */
export const nodeVersionNoteCommands: readonly string[] = ['start', 'dispatcher', 'worker'];

/**
 * Where turnpool keeps small per-machine state (XDG base directory spec):
 * `$XDG_STATE_HOME/turnpool` when XDG_STATE_HOME is an absolute path, else `~/.local/state/turnpool`.
 */
export function turnpoolStateDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  const xdg = env['XDG_STATE_HOME'];
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.local', 'state'), 'turnpool');
}

export interface NodeVersionNoteOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** @defaultValue process.versions.node */
  nodeVersion?: string;
}

/**
 * The note that AWS SDK releases after January 2027 need Node 22+, once per machine: returned
 * (to be printed) when Node is older than 22 and the marker file `node-version-note` in
 * `turnpoolStateDir` does not exist yet, which this call then creates. Never throws: when the
 * marker cannot be written (read-only home) the note is returned anyway, so it is shown again
 * next time rather than never.
 */
export function takeNodeVersionNote(opts: NodeVersionNoteOptions): string | undefined {
  const version = opts.nodeVersion ?? process.versions.node;
  if (Number(version.split('.')[0]) >= 22) return undefined;
  const dir = turnpoolStateDir(opts.env, opts.homeDir);
  const marker = path.join(dir, 'node-version-note');
  if (existsSync(marker)) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(marker, `shown ${new Date().toISOString()} on Node ${version}\n`, { flag: 'wx' });
  } catch {
    // an unwritable state dir, or another process wrote the marker first: say it anyway
  }
  return (
    `note: Node ${version} works; AWS SDK releases after January 2027 will need Node 22+. ` +
    `(Shown once on this machine; ${marker} remembers it.)\n`
  );
}
