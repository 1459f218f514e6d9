import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';

/** Which lookup step chose the file. */
export type ConfigSource = '--config' | 'TURNPOOL_CONFIG' | 'cwd' | 'home' | 'defaults';

export interface ConfigLookupOptions {
  /** `--config <path>`; relative paths resolve against `cwd`. @defaultValue undefined */
  configPath?: string;
  /** Environment (for `TURNPOOL_CONFIG` and the overrides). @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Directory searched for `turnpool.json5`. @defaultValue process.cwd() */
  cwd?: string;
  /** Home directory searched for `.turnpool/config.json5`. @defaultValue os.homedir() */
  homeDir?: string;
}

export interface ResolvedConfigPath {
  /** Absolute path of the file to load, or null: no file, all defaults. */
  path: string | null;
  from: ConfigSource;
  /** The implicit candidates, in lookup order (for messages). */
  candidates: string[];
}

/** Human words for each lookup step. */
export const configSourceLabels: Record<ConfigSource, string> = {
  '--config': 'the --config option',
  TURNPOOL_CONFIG: 'the TURNPOOL_CONFIG environment variable',
  cwd: 'turnpool.json5 in the current directory',
  home: '~/.turnpool/config.json5 in the home directory',
  defaults: 'no config file found: built-in defaults',
};

/**
 * Finds the config file: `--config`, else `TURNPOOL_CONFIG` (both must exist: a missing
 * explicit path throws `config_not_found` naming it), else `./turnpool.json5`, else
 * `~/.turnpool/config.json5`, else none. An empty `TURNPOOL_CONFIG` counts as unset.
 */
export async function resolveConfigPath(opts: ConfigLookupOptions = {}): Promise<ResolvedConfigPath> {
  const cwd = opts.cwd ?? process.cwd();
  const candidates = [join(cwd, 'turnpool.json5'), join(opts.homeDir ?? homedir(), '.turnpool', 'config.json5')];
  const explicit = explicitConfigPath(opts);
  if (explicit) {
    const path = resolve(cwd, explicit.path);
    const kind = await fileKind(path);
    if (kind !== 'file') {
      throw new ConfigError('config_not_found', [
        {
          keyPath: '',
          file: path,
          message: `${kind === 'missing' ? 'does not exist' : kind === 'dir' ? 'is a directory, not a file' : 'is not a readable regular file'} (named by ${configSourceLabels[explicit.from]})`,
        },
      ]);
    }
    return { path, from: explicit.from, candidates };
  }
  const [inCwd, inHome] = candidates as [string, string];
  if ((await fileKind(inCwd)) === 'file') return { path: inCwd, from: 'cwd', candidates };
  if ((await fileKind(inHome)) === 'file') return { path: inHome, from: 'home', candidates };
  return { path: null, from: 'defaults', candidates };
}

/** `--config`, else a non-empty `TURNPOOL_CONFIG`, else undefined. */
export function explicitConfigPath(opts: ConfigLookupOptions): { path: string; from: '--config' | 'TURNPOOL_CONFIG' } | undefined {
  if (opts.configPath !== undefined && opts.configPath !== '') return { path: opts.configPath, from: '--config' };
  const fromEnv = (opts.env ?? process.env)['TURNPOOL_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return { path: fromEnv, from: 'TURNPOOL_CONFIG' };
  return undefined;
}

async function fileKind(path: string): Promise<'file' | 'dir' | 'missing' | 'other'> {
  try {
    const s = await stat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch (err) {
    return (err as { code?: unknown }).code === 'ENOENT' || (err as { code?: unknown }).code === 'ENOTDIR' ? 'missing' : 'other';
  }
}
