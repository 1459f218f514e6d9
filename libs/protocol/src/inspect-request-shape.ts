import { formatFieldPath } from './field-path.ts';
import { limits } from './limits.ts';
import { TurnError } from './turn-error.ts';

/** Overhead counted per JSON node when estimating the request size. */
const nodeBytes = 8;

/**
 * A cheap, non-recursive pass over untrusted input before the schema sees it: rejects
 * nesting deeper than `limits.maxRequestDepth`, more than `limits.maxRequestNodes` nodes,
 * an estimated size over `limits.maxRequestBytes`, and `__proto__` keys anywhere. Returns
 * the first problem as a `TurnError` naming the field, or `undefined`.
 */
export function inspectRequestShape(input: unknown): TurnError | undefined {
  let nodes = 0;
  let bytes = 0;
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    nodes += 1;
    bytes += nodeBytes;
    if (typeof value === 'string') bytes += value.length;
    if (bytes > limits.maxRequestBytes) {
      return new TurnError(
        'payload_too_large',
        `The request is larger than ${limits.maxRequestBytes / (1024 * 1024)} MB.`,
        fieldOption(path),
      );
    }
    if (nodes > limits.maxRequestNodes) {
      return new TurnError('payload_too_large', `The request has more than ${limits.maxRequestNodes} JSON values.`, fieldOption(path));
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length + 1 > limits.maxRequestDepth) {
      return new TurnError('invalid_request', `The request is nested deeper than ${limits.maxRequestDepth} levels.`, fieldOption(path));
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxRequestNodes - nodes) {
        return new TurnError('payload_too_large', `The request has more than ${limits.maxRequestNodes} JSON values.`, fieldOption(path));
      }
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxRequestNodes - nodes) {
      return new TurnError('payload_too_large', `The request has more than ${limits.maxRequestNodes} JSON values.`, fieldOption(path));
    }
    for (let k = keys.length - 1; k >= 0; k -= 1) {
      const key = keys[k] as string;
      bytes += key.length;
      if (key === '__proto__') {
        const field = formatFieldPath([...path, key]);
        return new TurnError('invalid_request', `${field}: the key "__proto__" is not allowed.`, { field: field ?? key });
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

function fieldOption(path: readonly PropertyKey[]): { field?: string } {
  const field = formatFieldPath(path);
  return field === undefined ? {} : { field };
}
