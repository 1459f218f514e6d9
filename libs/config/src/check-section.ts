import type { z } from 'zod';
import { describeAllowed, schemaAt } from './describe-allowed.ts';
import { formatKeyPath } from './format-key-path.ts';
import { getValueAtPath } from './get-value-at-path.ts';

/** What `checkSection` found wrong: the key path, what is allowed and (a short form of) the value given. */
export interface SectionProblem {
  keyPath: string;
  /** `<keyPath> must be <allowed>, got <value>`. */
  message: string;
}

/**
 * Checks one config section that a library takes directly (a gateway or a test that does not
 * go through `loadConfig`) with the config's own schema, so the rule and the defaults are the
 * ones the file gets. `basePath` is where the section sits in the file (for the key path).
 */
export function checkSection<S extends z.ZodType>(
  schema: S,
  value: unknown,
  basePath: readonly PropertyKey[],
): { ok: true; data: z.output<S> } | { ok: false; problem: SectionProblem } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const keyPath = formatKeyPath([...basePath, ...path]);
  const allowed = describeAllowed(schemaAt(schema, path)) ?? issue?.message ?? 'valid';
  const got = getValueAtPath(value, path);
  const shown = got.found ? (JSON.stringify(got.value)?.slice(0, 80) ?? String(got.value)) : 'nothing';
  return { ok: false, problem: { keyPath, message: `${keyPath} must be ${allowed}, got ${shown}` } };
}
