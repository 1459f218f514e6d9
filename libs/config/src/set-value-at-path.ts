import type { KeyPathSegment } from './parse-key-path.ts';

/**
 * A copy of `root` with `value` at `path`, creating objects (or a one-item list for index 0)
 * on the way, replacing non-containers in the way. Own data properties only: a key named
 * `__proto__` in the data stays an ordinary key.
 */
export function setValueAtPath(root: unknown, path: readonly KeyPathSegment[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    arr[head] = setValueAtPath(arr[head], rest, value);
    return arr;
  }
  const obj: Record<string, unknown> =
    typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  const child = Object.hasOwn(obj, head) ? obj[head] : undefined;
  Object.defineProperty(obj, head, { value: setValueAtPath(child, rest, value), enumerable: true, writable: true, configurable: true });
  return obj;
}
