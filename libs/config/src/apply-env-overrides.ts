import { envOverrides } from './env-overrides.ts';
import { isPlainObject } from './is-plain-object.ts';

/** The file's value with environment overrides applied, and which key came from which variable. */
export interface EnvApplied {
  value: unknown;
  /** Key path (joined with NUL) -> the variable that set it. */
  sources: Map<string, string>;
}

/** Key used in {@link EnvApplied.sources}. */
export function sourceKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('\u0000');
}

/**
 * Applies {@link envOverrides} to a parsed file (never mutating it). Where the file holds
 * something other than an object on the way to a key (e.g. `redis: 5`), the override is
 * skipped so that the file's own error is reported.
 */
export function applyEnvOverrides(fileValue: unknown, env: NodeJS.ProcessEnv): EnvApplied {
  const sources = new Map<string, string>();
  if (!isPlainObject(fileValue)) return { value: fileValue, sources };
  let root: Record<string, unknown> = fileValue;
  for (const o of envOverrides) {
    const raw = env[o.envVar];
    if (raw === undefined || raw === '') continue;
    const next = setCopy(root, o.path, o.parse(raw));
    if (next === undefined) continue;
    root = next;
    sources.set(sourceKey(o.path), o.envVar);
  }
  return { value: root, sources };
}

function setCopy(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const copy: Record<string, unknown> = { ...obj };
  if (rest.length === 0) {
    copy[head] = value;
    return copy;
  }
  const child = Object.hasOwn(obj, head) ? obj[head] : {};
  if (!isPlainObject(child)) return undefined;
  const updated = setCopy(child, rest, value);
  if (updated === undefined) return undefined;
  copy[head] = updated;
  return copy;
}
