import { isDeepStrictEqual } from 'node:util';
import JSON5 from 'json5';
import { ConfigError } from './config-error.ts';
import { formatKeyPath } from './format-key-path.ts';
import { isBlankJson5 } from './is-blank-json5.ts';
import { detectJson5Style, type Json5Style } from './json5-style.ts';
import { locateJson5Path } from './locate-json5-path.ts';
import type { KeyPathSegment } from './parse-key-path.ts';
import { parseJson5Tree, type Json5ArrayNode, type Json5ObjectNode } from './parse-json5-tree.ts';
import { renderJson5Inline, renderJson5Key, renderJson5Value } from './render-json5-value.ts';
import { setValueAtPath } from './set-value-at-path.ts';

/**
 * Returns `text` with the value at `segments` set to `value`, every other byte kept: an
 * existing value's span is replaced; a missing key is inserted after its last sibling (or
 * into an empty object) with the file's indentation, quote and trailing-comma habits;
 * missing parents are created as nested objects (`[0]` creates a one-item array). The result
 * is re-parsed and must equal the old document with just that value changed, else a
 * {@link ConfigError} is thrown and nothing is returned. Blank text (or only comments) becomes
 * a new object.
 */
export function setJson5Value(text: string, segments: readonly KeyPathSegment[], value: unknown): string {
  const keyPath = formatKeyPath(segments);
  if (segments.length === 0) throw new ConfigError('config_invalid', [{ keyPath, message: 'cannot replace the whole file' }]);
  if (!isJson5Data(value, 0)) {
    throw new ConfigError('config_invalid', [
      {
        keyPath,
        message: 'the value is not JSON5 data',
        allowed: 'strings, numbers, booleans, null, lists and plain objects, nested at most 64 deep',
      },
    ]);
  }
  const blank = isBlankJson5(text);
  let before: unknown = {};
  if (!blank) {
    try {
      before = JSON5.parse(text);
    } catch (err) {
      throw new ConfigError(
        'config_parse',
        [{ keyPath: '', message: `the file is not valid JSON5, so it cannot be edited: ${(err as Error).message}` }],
        { cause: err },
      );
    }
  }
  const expected = setValueAtPath(before, segments, value);
  try {
    for (const candidate of candidateEdits(text, blank, segments, value)) {
      let after: unknown;
      try {
        after = JSON5.parse(candidate);
      } catch {
        continue;
      }
      if (isDeepStrictEqual(after, expected)) return candidate;
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
  }
  throw new ConfigError('config_invalid', [
    { keyPath, message: 'could not edit the file in place without changing other keys; edit it by hand' },
  ]);
}

function* candidateEdits(text: string, blank: boolean, segments: readonly KeyPathSegment[], value: unknown): Generator<string> {
  if (blank) {
    const style = detectJson5Style(text, undefined);
    const body = renderJson5Value(nest(segments, value), '', style);
    yield text.trim() === '' ? `${body}\n` : `${text.replace(/\s*$/, '\n')}${body}\n`;
    return;
  }
  const tree = parseJson5Tree(text);
  const style = detectJson5Style(text, tree);
  const loc = locateJson5Path(tree, segments);
  if (loc.matched === segments.length) {
    const indent = lineIndent(text, loc.offset);
    const inline = renderJson5Inline(value, style);
    const oneLine = !text.slice(loc.node.start, loc.node.end).includes('\n') && indent.length + inline.length <= 72;
    yield splice(text, loc.node.start, loc.node.end, oneLine ? inline : renderJson5Value(value, indent, style));
    return;
  }
  const parent = loc.node;
  const rest = segments.slice(loc.matched);
  const [next, ...deeper] = rest as [KeyPathSegment, ...KeyPathSegment[]];
  if (parent.kind === 'object' && typeof next === 'string') {
    yield* insertMember(
      text,
      parent,
      style,
      (indent) => `${renderJson5Key(next, style)}: ${renderJson5Value(nest(deeper, value), indent, style)}`,
      () => `${renderJson5Key(next, style)}: ${renderJson5Inline(nest(deeper, value), style)}`,
    );
    return;
  }
  if (parent.kind === 'array' && typeof next === 'number') {
    if (next !== parent.items.length) {
      throw new ConfigError('config_invalid', [
        {
          keyPath: formatKeyPath(segments.slice(0, loc.matched + 1)),
          message: `index ${next} is past the end of a list of ${parent.items.length}`,
          allowed: `an index from 0 to ${parent.items.length}`,
        },
      ]);
    }
    yield* insertMember(
      text,
      parent,
      style,
      (indent) => renderJson5Value(nest(deeper, value), indent, style),
      () => renderJson5Inline(nest(deeper, value), style),
    );
    return;
  }
  // A scalar (or the wrong kind of container) stands where the path goes on: replace it.
  yield splice(text, parent.start, parent.end, renderJson5Value(nest(rest, value), lineIndent(text, loc.offset), style));
}

/** Yields ways to add a member to an object or array: multi-line first, then simpler fallbacks. */
function* insertMember(
  text: string,
  node: Json5ObjectNode | Json5ArrayNode,
  style: Json5Style,
  member: (indent: string) => string,
  inlineMember: () => string,
): Generator<string> {
  const members = node.kind === 'object' ? node.entries : node.items;
  const close = node.end - 1;
  const multiline = text.slice(node.start, node.end).includes('\n');
  const tail = style.trailingComma ? ',' : '';
  const last = members[members.length - 1];
  if (last === undefined) {
    const parentIndent = lineIndent(text, node.start);
    const indent = parentIndent + style.unit;
    const closeLineStart = text.lastIndexOf('\n', close - 1) + 1;
    if (multiline && text.slice(closeLineStart, close).trim() === '') {
      yield splice(text, closeLineStart, closeLineStart, `${indent}${member(indent)}${tail}\n`);
    }
    yield splice(text, close, close, `\n${indent}${member(indent)}${tail}\n${parentIndent}`);
    return;
  }
  const firstStart = node.kind === 'object' ? (node.entries[0]?.keyStart ?? 0) : (node.items[0]?.value.start ?? 0);
  const lastValueEnd = last.value.end;
  if (multiline && startsLine(text, firstStart)) {
    const indent = lineIndent(text, firstStart);
    const after = last.commaEnd ?? lastValueEnd;
    const eol = endOfLine(text, after, close);
    const comma = last.commaEnd === undefined ? ',' : '';
    if (comma === '') {
      yield splice(text, eol, eol, `\n${indent}${member(indent)}${tail}`);
    } else {
      yield splice(splice(text, eol, eol, `\n${indent}${member(indent)}${tail}`), lastValueEnd, lastValueEnd, comma);
    }
    yield splice(text, after, after, `${comma}\n${indent}${member(indent)}${tail}`);
  }
  const at = last.commaEnd ?? lastValueEnd;
  yield splice(text, at, at, `${last.commaEnd === undefined ? ',' : ''} ${inlineMember()}`);
}

/** Nested objects (or a one-item list for `[0]`) that put `value` at `segments`. */
function nest(segments: readonly KeyPathSegment[], value: unknown): unknown {
  let v = value;
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const s = segments[i] as KeyPathSegment;
    if (typeof s === 'number') {
      if (s !== 0)
        throw new ConfigError('config_invalid', [
          {
            keyPath: formatKeyPath(segments.slice(0, i + 1)),
            message: `cannot create a list at index ${s}`,
            allowed: 'index 0 for a new list',
          },
        ]);
      v = [v];
    } else {
      v = Object.fromEntries([[s, v]]);
    }
  }
  return v;
}

/** Replaces text[start, end) with `insert`, whose line breaks follow the file's (`\r\n` files stay `\r\n`). */
function splice(text: string, start: number, end: number, insert: string): string {
  const fitted = text.includes('\r\n') ? insert.replace(/\r?\n/g, '\r\n') : insert;
  return text.slice(0, start) + fitted + text.slice(end);
}

/** The whitespace that starts the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/** End of the line that holds `offset` (before any `\r\n`), but never past `limit`. */
function endOfLine(text: string, offset: number, limit: number): number {
  let nl = text.indexOf('\n', offset);
  if (nl < 0) nl = text.length;
  if (nl > offset && text[nl - 1] === '\r') nl -= 1;
  return Math.min(nl, limit);
}

function isJson5Data(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return true;
  if (Array.isArray(value)) return value.every((v) => isJson5Data(v, depth + 1));
  if (typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.values(value).every((v) => isJson5Data(v, depth + 1));
}
