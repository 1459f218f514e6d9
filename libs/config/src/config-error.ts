/** What went wrong with the configuration. */
export type ConfigErrorCode =
  /** A value breaks a schema rule (wrong type, out of range, unknown key, bad key path). */
  | 'config_invalid'
  /** An explicitly named config file (`--config`, `TURNPOOL_CONFIG`) does not exist or cannot be read. */
  | 'config_not_found'
  /** The file is not valid JSON5. */
  | 'config_parse';

/** One problem in a config file or in the environment. */
export interface ConfigProblem {
  /** Dotted key path, e.g. `models.bedrockDiscovery.refreshInterval` (`''` for the whole file). */
  keyPath: string;
  /** What is wrong, in words a person can act on. */
  message: string;
  /** The offending value, rendered as JSON5 and masked (`"***"`) when the key is secret-like. */
  value?: string;
  /** What the key accepts. */
  allowed?: string;
  /** The file the value came from. */
  file?: string;
  /** 1-based line of the key (or of the nearest enclosing key that exists) in `file`. */
  line?: number;
  /** 1-based column, for JSON5 syntax errors. */
  column?: number;
  /** The environment variable the value came from, when it came from one. */
  envVar?: string;
}

/**
 * The one error the config library throws. `problems` lists every problem found (not just
 * the first); the top-level `keyPath`, `value`, `allowed`, `file` and `line` repeat the
 * first problem's for callers that branch on one. Never retryable: a person must fix the file.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly retryable = false;
  readonly problems: readonly ConfigProblem[];
  readonly keyPath: string;
  readonly value: string | undefined;
  readonly allowed: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(code: ConfigErrorCode, problems: ConfigProblem[], options?: { cause?: unknown; headline?: string }) {
    super(formatConfigProblems(code, problems, options?.headline), options?.cause === undefined ? undefined : { cause: options.cause });
    const first = problems[0] ?? { keyPath: '', message: 'invalid configuration' };
    this.code = code;
    this.problems = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
    this.keyPath = first.keyPath;
    this.value = first.value;
    this.allowed = first.allowed;
    this.file = first.file;
    this.line = first.line;
  }

  toJSON(): { code: ConfigErrorCode; message: string; retryable: false; problems: readonly ConfigProblem[] } {
    return { code: this.code, message: this.message, retryable: false, problems: this.problems };
  }
}

/** `file:line:col` or `env NAME`, whichever says where the problem is. */
function formatWhere(p: ConfigProblem): string {
  if (p.envVar !== undefined) return `env ${p.envVar}`;
  if (p.file === undefined) return '';
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  return where;
}

/** One line per problem: `<file>:<line>: <keyPath>: <message> (allowed: <allowed>)`, or `env <VAR>: …`. */
export function formatConfigProblem(p: ConfigProblem): string {
  const where = formatWhere(p);
  const key = p.keyPath === '' ? '' : `${p.keyPath}: `;
  const allowed = p.allowed === undefined ? '' : ` (allowed: ${p.allowed})`;
  return `${where === '' ? '' : `${where}: `}${key}${p.message}${allowed}`;
}

function formatConfigProblems(code: ConfigErrorCode, problems: ConfigProblem[], headline?: string): string {
  if (problems.length === 1 && headline === undefined) return formatConfigProblem(problems[0] as ConfigProblem);
  const head = headline ?? `${problems.length} problems in the configuration (${code})`;
  return [`${head}:`, ...problems.map((p) => `  - ${formatConfigProblem(p)}`)].join('\n');
}
