/**
 * Formats a validation path the way people write it: `messages[3].content[0].image.data`.
 * Returns `undefined` for the root.
 */
export function formatFieldPath(path: readonly PropertyKey[]): string | undefined {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? undefined : out;
}
