import { ConfigError } from './config-error.ts';

/** One step of a key path: an object key or an array index. */
export type KeyPathSegment = string | number;

/** Longest key path accepted, in characters. No real key comes near it. */
export const maxKeyPathLength = 512;
/** Most segments accepted in one key path. */
export const maxKeyPathSegments = 32;

const forbiddenSegments = new Set(['__proto__', 'constructor', 'prototype']);

function invalidPath(path: string, message: string): ConfigError {
  const shown = path.length > 80 ? `${path.slice(0, 77)}...` : path;
  return new ConfigError('config_invalid', [
    {
      keyPath: shown,
      message: `invalid key path: ${message}`,
      allowed: 'dot-separated keys (models.bedrockDiscovery.enabled), ["quoted"] keys and [0] indexes',
    },
  ]);
}

/**
 * Parses `models.providers.amazon-bedrock.baseUrl`, `models.providers["amazon-bedrock"].baseUrl`
 * or `models.providers['amazon-bedrock'].models[0].id` into segments. A dotted segment runs to
 * the next `.` or `[`; a bracketed one is a quoted string (`\"`, `\'`, `\\` escapes) or a
 * non-negative integer index. Refuses empty segments, `__proto__` / `constructor` /
 * `prototype`, control characters and paths over {@link maxKeyPathLength} characters, with
 * a {@link ConfigError} (`config_invalid`).
 */
export function parseKeyPath(path: string): KeyPathSegment[] {
  if (typeof path !== 'string' || path.length === 0) throw invalidPath(String(path), 'the path is empty');
  if (path.length > maxKeyPathLength) throw invalidPath(path, `longer than ${maxKeyPathLength} characters`);
  if (/\p{Cc}/u.test(path)) throw invalidPath(path, 'contains a control character');
  const segments: KeyPathSegment[] = [];
  let i = 0;
  let expectKey = true;
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const close = readBracket(path, i);
      segments.push(close.segment);
      i = close.next;
      expectKey = false;
      continue;
    }
    if (c === '.') {
      if (expectKey) throw invalidPath(path, `empty segment at character ${i + 1}`);
      i += 1;
      expectKey = true;
      if (i === path.length) throw invalidPath(path, 'ends with "."');
      continue;
    }
    if (!expectKey) throw invalidPath(path, `expected "." or "[" at character ${i + 1}`);
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end += 1;
    const key = path.slice(i, end);
    if (key.includes(']')) throw invalidPath(path, `unexpected "]" in "${key}"`);
    segments.push(key);
    i = end;
    expectKey = false;
  }
  if (segments.length > maxKeyPathSegments) throw invalidPath(path, `more than ${maxKeyPathSegments} segments`);
  for (const s of segments) {
    if (typeof s === 'string' && forbiddenSegments.has(s)) throw invalidPath(path, `the segment "${s}" is not allowed`);
    if (s === '') throw invalidPath(path, 'empty segment');
  }
  return segments;
}

function readBracket(path: string, open: number): { segment: KeyPathSegment; next: number } {
  const q = path[open + 1];
  if (q === '"' || q === "'") {
    let out = '';
    let j = open + 2;
    while (j < path.length && path[j] !== q) {
      if (path[j] === '\\' && j + 1 < path.length) j += 1;
      out += path[j];
      j += 1;
    }
    if (path[j] !== q || path[j + 1] !== ']') throw invalidPath(path, `unterminated ${q}...${q}] at character ${open + 1}`);
    return { segment: out, next: j + 2 };
  }
  const close = path.indexOf(']', open);
  if (close < 0) throw invalidPath(path, `unterminated "[" at character ${open + 1}`);
  const inner = path.slice(open + 1, close);
  if (!/^(0|[1-9][0-9]{0,8})$/.test(inner)) throw invalidPath(path, `"[${inner}]" is neither a quoted key nor an array index`);
  return { segment: Number(inner), next: close + 1 };
}
