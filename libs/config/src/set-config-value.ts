import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { formatKeyPath } from './format-key-path.ts';
import { readConfigFile } from './load-config.ts';
import { parseConfigText } from './parse-config-text.ts';
import { parseKeyPath } from './parse-key-path.ts';
import { resolveConfigWritePath } from './resolve-config-write-path.ts';
import type { ConfigLookupOptions, ConfigSource } from './resolve-config-path.ts';
import { setJson5Value } from './set-json5-value.ts';

export interface SetConfigValueOptions extends ConfigLookupOptions {
  /** Key path: `models.bedrockDiscovery.region`, `models.providers["amazon-bedrock"].baseUrl`. */
  keyPath: string;
  /** The new value (see parseCliValue for turning CLI text into one). */
  value: unknown;
}

export interface SetConfigValueResult {
  /** The file written. */
  path: string;
  from: ConfigSource;
  /** True when the file did not exist before. */
  created: boolean;
}

/**
 * Sets one key in the config file that {@link resolveConfigWritePath} picks, keeping every
 * other byte (comments, order, formatting). The edited file is validated first: a problem
 * that the file did not already have (typically at the key being set) refuses the write with
 * a {@link ConfigError} naming the key; problems it already had do not block a `set` that
 * fixes something else. Writes atomically (temp file in the same directory, then rename);
 * creates the file and its directory when missing (new files get mode 0600: they may hold
 * API keys).
 */
export async function setConfigValue(opts: SetConfigValueOptions): Promise<SetConfigValueResult> {
  const segments = parseKeyPath(opts.keyPath);
  const target = await resolveConfigWritePath(opts);
  const before = target.exists ? await readConfigFile(target.path) : '';
  const after = setJson5Value(before, segments, opts.value);
  const oldProblems = target.exists ? problemsOf(before, target.path) : [];
  const newProblems = problemsOf(after, target.path);
  const known = new Set(oldProblems.map(problemId));
  const introduced = newProblems.filter((p) => !known.has(problemId(p)));
  if (introduced.length > 0) {
    throw new ConfigError(
      'config_invalid',
      introduced.map((p) => ({ ...p, line: undefined, file: undefined })),
      {
        headline: `refused to set ${formatKeyPath(segments)}: the result would be invalid`,
      },
    );
  }
  await writeFileAtomic(target.path, after, target.exists);
  return { path: target.path, from: target.from, created: !target.exists };
}

function problemsOf(text: string, file: string): ConfigProblem[] {
  try {
    parseConfigText(text, { file });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

function problemId(p: ConfigProblem): string {
  return `${p.keyPath}\u0000${p.message}`;
}

async function writeFileAtomic(path: string, text: string, exists: boolean): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const mode = exists ? (await stat(path)).mode & 0o777 : 0o600;
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { mode, flag: 'wx' });
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    // The temp file may not exist (writeFile failed); the error that matters is rethrown below.
    await unlink(tmp).catch(() => {});
    throw new ConfigError(
      'config_not_found',
      [{ keyPath: '', file: path, message: `cannot write ${path}: ${(err as { code?: string }).code ?? 'error'}` }],
      { cause: err },
    );
  }
}
