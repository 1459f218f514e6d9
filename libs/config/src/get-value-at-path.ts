import type { KeyPathSegment } from './parse-key-path.ts';

/**
 * The value at `path` in `root`, reading own properties only (never the prototype chain),
 * or `{ found: false }` when any step is missing.
 */
export function getValueAtPath(
  root: unknown,
  path: readonly (KeyPathSegment | PropertyKey)[],
): { found: true; value: unknown } | { found: false } {
  let v: unknown = root;
  for (const segment of path) {
    if (Array.isArray(v) && typeof segment === 'number') {
      if (segment < 0 || segment >= v.length) return { found: false };
      v = v[segment];
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof segment === 'string' && Object.hasOwn(v, segment)) {
      v = (v as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: v };
}
