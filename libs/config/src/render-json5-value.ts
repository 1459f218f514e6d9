import type { Json5Style } from './json5-style.ts';

const identifier = /^[A-Za-z_$][\w$]*$/;
/** Inline arrays and objects up to this many characters stay on one line. */
const inlineWidth = 72;

/** A string literal in the style's quote. */
export function quoteJson5String(s: string, quote: '"' | "'"): string {
  const json = JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** An object key: bare when it is an identifier (and the file does not quote keys), else quoted. */
export function renderJson5Key(key: string, style: Json5Style): string {
  return !style.quoteKeys && identifier.test(key) ? key : quoteJson5String(key, style.quote);
}

function renderScalar(value: unknown, style: Json5Style): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return quoteJson5String(value, style.quote);
  throw new TypeError(`cannot write a ${typeof value} to a JSON5 file`);
}

/** The value on one line: `[1, 2]`, `{ a: 1 }`. */
export function renderJson5Inline(value: unknown, style: Json5Style): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map((v) => renderJson5Inline(v, style)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0
      ? '{}'
      : `{ ${entries.map(([k, v]) => `${renderJson5Key(k, style)}: ${renderJson5Inline(v, style)}`).join(', ')} }`;
  }
  return renderScalar(value, style);
}

/**
 * The value as it would sit on a line indented by `indent`: scalars and short arrays of
 * scalars inline, objects and longer arrays one member per line.
 */
export function renderJson5Value(value: unknown, indent: string, style: Json5Style): string {
  if (typeof value !== 'object' || value === null) return renderScalar(value, style);
  const inner = indent + style.unit;
  const tail = style.trailingComma ? ',' : '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = renderJson5Inline(value, style);
    if (value.every((v) => typeof v !== 'object' || v === null) && inline.length + indent.length <= inlineWidth) return inline;
    return `[\n${value.map((v) => inner + renderJson5Value(v, inner, style)).join(',\n')}${tail}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${renderJson5Key(k, style)}: ${renderJson5Value(v, inner, style)}`).join(',\n')}${tail}\n${indent}}`;
}
