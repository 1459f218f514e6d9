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
 * when the key is secret-like, and any `user:password@` in a URL masked.
 */
export function renderValue(value: unknown, secret: boolean): string {
  if (secret) return '"***"';
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"]*@/gi, '$1***@');
  return text.length > maxRendered ? `${text.slice(0, maxRendered - 3)}...` : text;
}
