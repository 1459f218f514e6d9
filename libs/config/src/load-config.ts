import { readFile } from 'node:fs/promises';
import type { Logger } from '@turnpool/protocol';
import { ConfigError } from './config-error.ts';
import { deepFreeze } from './deep-freeze.ts';
import { maxConfigTextLength, parseConfigText } from './parse-config-text.ts';
import { resolveConfigPath, type ConfigLookupOptions, type ConfigSource } from './resolve-config-path.ts';
import type { TurnpoolConfig } from './turnpool-config.ts';

export interface LoadConfigOptions extends ConfigLookupOptions {
  /** Receives warnings (e.g. conflicting discovery spellings). @defaultValue none */
  logger?: Logger;
}

/** The loaded configuration. Deep-frozen. */
export interface LoadedConfig {
  /** The file read, or null when none was found and everything is a default. */
  path: string | null;
  /** Which lookup step chose `path`. */
  from: ConfigSource;
  config: TurnpoolConfig;
  /** Non-fatal notes, also sent to `logger.warn`. */
  warnings: string[];
}

/**
 * Finds, reads, validates and freezes the configuration (lookup order in resolveConfigPath,
 * environment overrides in env-overrides.ts). Throws only {@link ConfigError}.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const found = await resolveConfigPath(opts);
  const text = found.path === null ? '' : await readConfigFile(found.path);
  const parsed = parseConfigText(text, { env: opts.env ?? process.env, ...(found.path === null ? {} : { file: found.path }) });
  for (const warning of parsed.warnings) opts.logger?.warn({ path: found.path }, warning);
  return deepFreeze({ path: found.path, from: found.from, config: parsed.config, warnings: parsed.warnings });
}

/** Reads a config file as UTF-8; a missing or unreadable file is `config_not_found`. */
export async function readConfigFile(path: string): Promise<string> {
  try {
    const buf = await readFile(path);
    if (buf.length > maxConfigTextLength * 4) {
      throw new ConfigError('config_parse', [
        { keyPath: '', file: path, message: `the file is larger than ${maxConfigTextLength} characters` },
      ]);
    }
    return buf.toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      'config_not_found',
      [{ keyPath: '', file: path, message: `cannot read ${path}: ${(err as { code?: string }).code ?? 'error'}` }],
      { cause: err },
    );
  }
}
