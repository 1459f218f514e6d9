import JSON5 from 'json5';

/** A value in JSON5 text with its character span (`end` exclusive). */
export type Json5Node = Json5ObjectNode | Json5ArrayNode | Json5ScalarNode;

export interface Json5ObjectNode {
  kind: 'object';
  start: number;
  end: number;
  entries: Json5Entry[];
}

export interface Json5Entry {
  /** The decoded key (escapes resolved, quotes removed). */
  key: string;
  keyStart: number;
  keyEnd: number;
  value: Json5Node;
  /** Offset just past the comma that follows the value, when there is one. */
  commaEnd?: number;
}

export interface Json5ArrayNode {
  kind: 'array';
  start: number;
  end: number;
  items: { value: Json5Node; commaEnd?: number }[];
}

export interface Json5ScalarNode {
  kind: 'scalar';
  start: number;
  end: number;
}

const whitespace = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * Parses JSON5 text into a tree of spans: where each key and value starts and ends, so that
 * errors can name a key's line and `config set` can replace or insert text while keeping
 * everything else (comments, quotes, spacing) byte for byte. Call it on text that
 * `JSON5.parse` accepted; on anything else it throws a plain `Error`.
 */
export function parseJson5Tree(text: string): Json5Node {
  let pos = 0;

  function fail(what: string): never {
    throw new Error(`JSON5 tree: ${what} at offset ${pos}`);
  }

  function skipTrivia(): void {
    while (pos < text.length) {
      const c = text[pos] as string;
      if (whitespace.test(c)) {
        pos += 1;
        continue;
      }
      if (c === '/' && text[pos + 1] === '/') {
        while (pos < text.length && !/[\n\r\u2028\u2029]/.test(text[pos] as string)) pos += 1;
        continue;
      }
      if (c === '/' && text[pos + 1] === '*') {
        const close = text.indexOf('*/', pos + 2);
        if (close < 0) fail('unterminated comment');
        pos = close + 2;
        continue;
      }
      return;
    }
  }

  function scanString(): void {
    const quote = text[pos];
    pos += 1;
    while (pos < text.length && text[pos] !== quote) pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos += 1;
  }

  function scanIdentifier(): void {
    const begin = pos;
    while (pos < text.length) {
      const c = text[pos] as string;
      if (c === '\\') {
        pos += 6;
        continue;
      }
      if (/[\w$]/.test(c) || (c.charCodeAt(0) >= 0x80 && !whitespace.test(c))) {
        pos += 1;
        continue;
      }
      break;
    }
    if (pos === begin) fail('expected a key');
  }

  function parseValue(depth: number): Json5Node {
    if (depth > 1000) fail('nesting too deep');
    skipTrivia();
    const start = pos;
    const c = text[pos];
    if (c === '{') return parseObject(start, depth);
    if (c === '[') return parseArray(start, depth);
    if (c === '"' || c === "'") {
      scanString();
      return { kind: 'scalar', start, end: pos };
    }
    while (pos < text.length && !/[,\]}:/\s"'{[]/.test(text[pos] as string) && !whitespace.test(text[pos] as string)) pos += 1;
    if (pos === start) fail('expected a value');
    return { kind: 'scalar', start, end: pos };
  }

  function parseObject(start: number, depth: number): Json5ObjectNode {
    pos += 1;
    const entries: Json5Entry[] = [];
    for (;;) {
      skipTrivia();
      if (text[pos] === '}') {
        pos += 1;
        return { kind: 'object', start, end: pos, entries };
      }
      const keyStart = pos;
      if (text[pos] === '"' || text[pos] === "'") scanString();
      else scanIdentifier();
      const keyEnd = pos;
      const key = decodeKey(text.slice(keyStart, keyEnd));
      skipTrivia();
      if (text[pos] !== ':') fail('expected ":"');
      pos += 1;
      const value = parseValue(depth + 1);
      const entry: Json5Entry = { key, keyStart, keyEnd, value };
      entries.push(entry);
      skipTrivia();
      if (text[pos] === ',') {
        pos += 1;
        entry.commaEnd = pos;
        continue;
      }
      if (text[pos] !== '}') fail('expected "," or "}"');
    }
  }

  function parseArray(start: number, depth: number): Json5ArrayNode {
    pos += 1;
    const items: Json5ArrayNode['items'] = [];
    for (;;) {
      skipTrivia();
      if (text[pos] === ']') {
        pos += 1;
        return { kind: 'array', start, end: pos, items };
      }
      const item: Json5ArrayNode['items'][number] = { value: parseValue(depth + 1) };
      items.push(item);
      skipTrivia();
      if (text[pos] === ',') {
        pos += 1;
        item.commaEnd = pos;
        continue;
      }
      if (text[pos] !== ']') fail('expected "," or "]"');
    }
  }

  const root = parseValue(0);
  skipTrivia();
  if (pos < text.length) fail('unexpected text after the value');
  return root;
}

function decodeKey(raw: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(raw)) return raw;
  const parsed = JSON5.parse<Record<string, unknown>>(`{${raw}:0}`);
  const keys = Object.keys(parsed);
  if (keys.length !== 1) throw new Error(`JSON5 tree: cannot decode key ${raw}`);
  return keys[0] as string;
}
