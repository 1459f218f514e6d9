import JSON5 from 'json5';
import { applyEnvOverrides } from './apply-env-overrides.ts';
import { ConfigError } from './config-error.ts';
import { configSchema } from './config-schema.ts';
import { findDiscoveryConflicts } from './find-discovery-conflicts.ts';
import { isPlainObject } from './is-plain-object.ts';
import { issuesToProblems } from './issues-to-problems.ts';
import { parseJson5Tree, type Json5Node } from './parse-json5-tree.ts';
import type { TurnpoolConfig } from './turnpool-config.ts';

/** Largest config file accepted, in characters. Real ones are a few KB. */
export const maxConfigTextLength = 1024 * 1024;

export interface ParseConfigTextOptions {
  /** File name for errors. @defaultValue undefined (errors give the line without a file) */
  file?: string;
  /** Environment for the overrides in env-overrides.ts. @defaultValue {} (no overrides) */
  env?: NodeJS.ProcessEnv;
}

export interface ParsedConfigText {
  /** Validated, with defaults filled in (not frozen; loadConfig freezes). */
  config: TurnpoolConfig;
  /** Non-fatal notes, e.g. the two discovery spellings disagreeing. */
  warnings: string[];
}

/**
 * Parses and validates JSON5 config text plus environment overrides. Throws only
 * {@link ConfigError}: `config_parse` for broken JSON5 (with the parser's line and column),
 * `config_invalid` listing every problem with its key path, value, what is allowed, and
 * line (or the environment variable it came from). Empty or whitespace-only text is `{}`.
 */
export function parseConfigText(text: string, opts: ParseConfigTextOptions = {}): ParsedConfigText {
  const fileFields = opts.file === undefined ? {} : { file: opts.file };
  if (text.length > maxConfigTextLength) {
    throw new ConfigError('config_parse', [
      { keyPath: '', message: `the file is larger than ${maxConfigTextLength} characters`, ...fileFields },
    ]);
  }
  let fileValue: unknown = {};
  if (text.trim() !== '') {
    try {
      fileValue = JSON5.parse(text);
    } catch (err) {
      const e = err as { message?: unknown; lineNumber?: unknown; columnNumber?: unknown };
      const message = typeof e.message === 'string' ? e.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '') : 'not valid JSON5';
      throw new ConfigError(
        'config_parse',
        [
          {
            keyPath: '',
            message: `not valid JSON5: ${message}`,
            ...fileFields,
            ...(typeof e.lineNumber === 'number' ? { line: e.lineNumber } : {}),
            ...(typeof e.columnNumber === 'number' ? { column: e.columnNumber } : {}),
          },
        ],
        { cause: err },
      );
    }
  }
  if (!isPlainObject(fileValue)) {
    throw new ConfigError('config_invalid', [
      { keyPath: '', message: 'the file must hold one JSON5 object ({ ... })', ...fileFields, line: 1 },
    ]);
  }
  const applied = applyEnvOverrides(fileValue, opts.env ?? {});
  const result = configSchema.safeParse(applied.value);
  if (!result.success) {
    const tree = tryTree(text);
    const problems = issuesToProblems(result.error.issues, {
      input: applied.value,
      text,
      sources: applied.sources,
      ...fileFields,
      ...(tree ? { tree } : {}),
    });
    throw new ConfigError('config_invalid', problems, {
      headline: problems.length > 1 ? `${problems.length} problems in ${opts.file ?? 'the configuration'}` : undefined,
    });
  }
  return { config: result.data, warnings: findDiscoveryConflicts(applied.value) };
}

function tryTree(text: string): Json5Node | undefined {
  try {
    return text.trim() === '' ? undefined : parseJson5Tree(text);
  } catch {
    return undefined;
  }
}
