import JSON5 from 'json5';

/**
 * Reads a `config set` value the way OpenClaw does: a JSON5 literal when it is one (`true`,
 * `3600`, `null`, `["anthropic","amazon"]`, `{enabled: true}`, `'quoted'`), else the text as
 * a plain string (`us-east-1`, `https://…`). Quote a value to force a string: `'"true"'`.
 */
export function parseCliValue(raw: string): unknown {
  try {
    return JSON5.parse(raw);
  } catch {
    return raw;
  }
}
