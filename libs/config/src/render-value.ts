/**
 * Key names whose values never appear in errors or output: apiKey(s), password, secret,
 * token and the like (`authToken`, `sessionToken`), but not counters such as `maxTokens`.
 */
const secretKey = /(^|[-_]|[a-z](?=[A-Z]))(api[-_]?keys?|passwords?|passwd|secrets?|tokens?|credentials?|authorization)$/i;

function isSecretKey(key: string): boolean {
  if (/^(max|default|min|total|input|output)/i.test(key)) return false;
  return secretKey.test(key) || /^(api[-_]?keys?|passwords?|passwd|secrets?|tokens?|credentials?|authorization)$/i.test(key);
}

/** True when any segment of the key path (or the env var name) looks like it holds a secret. */
export function isSecretKeyPath(segments: readonly PropertyKey[]): boolean {
  return segments.some((s) => typeof s === 'string' && isSecretKey(s));
}

/** Longest rendering of a value in an error, in characters. */
const maxRendered = 80;

/**
 * Renders a config value for an error message: JSON, truncated to 80 characters, `"***"`
 * when the key is secret-like, and any `user:password@` in a URL masked. Bounded work for
 * any input: nesting deeper than a few levels shows as `…`.
 */
export function renderValue(value: unknown, secret: boolean): string {
  if (secret) return '"***"';
  let text = preview(value, 0);
  text = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"]*@/gi, '$1***@');
  return text.length > maxRendered ? `${text.slice(0, maxRendered - 3)}...` : text;
}

/** JSON-like preview that stops after `maxRendered` characters and 8 levels. */
function preview(value: unknown, depth: number): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > maxRendered ? value.slice(0, maxRendered) : value);
  if (typeof value !== 'object') return typeof value;
  if (depth >= 8) return '…';
  const parts: string[] = [];
  let length = 0;
  const entries: [string | undefined, unknown][] = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    const part = `${k === undefined ? '' : `${JSON.stringify(k)}:`}${preview(v, depth + 1)}`;
    parts.push(part);
    length += part.length + 1;
    if (length > maxRendered) {
      parts.push('…');
      break;
    }
  }
  return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}
