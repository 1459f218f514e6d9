import { DirectiveError, directiveNames, type Directives } from './directives.ts';
import { isPreStreamErrorName } from './error-catalogue.ts';

const MAX_DIRECTIVES = 64;

/**
 * Reads `[[name args]]` directives from a text. Only known names are directives (`[[Some Page]]` is left
 * alone); a known directive with bad arguments throws a DirectiveError naming it.
 */
export function parseDirectives(text: string): Directives {
  const d: Directives = { tools: [] };
  let i = 0;
  let count = 0;
  while ((i = text.indexOf('[[', i)) !== -1) {
    const name = /^[a-z-]+/.exec(text.slice(i + 2, i + 40))?.[0] ?? '';
    if (!(directiveNames as readonly string[]).includes(name) || !/[\s\]]/.test(text[i + 2 + name.length] ?? '')) {
      i += 2;
      continue;
    }
    if (++count > MAX_DIRECTIVES) throw new DirectiveError(`more than ${MAX_DIRECTIVES} directives`);
    let j = i + 2 + name.length;
    if (name === 'tool') {
      j = parseTool(text, j, d);
    } else {
      const end = text.indexOf(']]', j);
      if (end === -1) throw new DirectiveError(`[[${name}: missing closing "]]"`);
      apply(d, name, text.slice(j, end).trim());
      j = end;
    }
    i = j + 2;
  }
  return d;
}

function parseTool(text: string, start: number, d: Directives): number {
  let j = start;
  while (text[j] === ' ') j++;
  const toolName = /^[A-Za-z0-9_-]{1,64}/.exec(text.slice(j, j + 65))?.[0];
  if (toolName === undefined) throw new DirectiveError('[[tool]]: expected a tool name ([A-Za-z0-9_-]{1,64})');
  j += toolName.length;
  while (text[j] === ' ') j++;
  let input: unknown = {};
  if (text[j] === '{') {
    const end = scanJsonObject(text, j);
    try {
      input = JSON.parse(text.slice(j, end));
    } catch (err) {
      throw new DirectiveError(`[[tool ${toolName}]]: input is not valid JSON (${(err as Error).message})`);
    }
    j = end;
    while (text[j] === ' ') j++;
  }
  if (text.slice(j, j + 2) !== ']]') throw new DirectiveError(`[[tool ${toolName}]]: expected "]]" after the input`);
  d.tools.push({ name: toolName, input });
  return j;
}

/** Index just past the balanced `{…}` starting at `start`, honouring JSON strings. */
function scanJsonObject(text: string, start: number): number {
  let depth = 0;
  let inStr = false;
  for (let k = start; k < text.length; k++) {
    const c = text[k];
    if (inStr) {
      if (c === '\\') k++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  throw new DirectiveError('[[tool]]: unterminated JSON input');
}

function apply(d: Directives, name: string, args: string): void {
  const parts = args.length > 0 ? args.split(/\s+/) : [];
  const bad = (msg: string): never => {
    throw new DirectiveError(`[[${name}${args ? ` ${args.slice(0, 40)}` : ''}]]: ${msg}`);
  };
  const intArg = (s: string | undefined, max: number, what = 'a count'): number => {
    if (s === undefined || !/^\d+$/.test(s) || Number(s) > max) bad(`expected ${what} 0..${max}`);
    return Number(s);
  };
  const after = (from: number, dflt: number): number => {
    if (parts.length <= from) return dflt;
    if (parts[from] !== 'after' || parts.length !== from + 2) bad('expected "after N"');
    return intArg(parts[from + 1], 1_000_000, 'an event count');
  };
  switch (name) {
    case 'say':
      d.say = args;
      break;
    case 'tokens':
      if (parts.length !== 1) bad('expected one count');
      d.tokens = intArg(parts[0], 100_000);
      break;
    case 'reasoning':
      if (parts.length > 1) bad('expected at most one count');
      d.reasoningTokens = parts[0] === undefined ? 12 : intArg(parts[0], 100_000);
      break;
    case 'redacted-reasoning':
      if (parts.length !== 0) bad('takes no arguments');
      d.redactedReasoning = true;
      break;
    case 'stop':
      if (parts.length !== 1 || !/^[a-z_]{1,64}$/.test(parts[0] ?? '')) bad('expected a stop reason like end_turn');
      d.stop = parts[0];
      break;
    case 'cache-read':
      if (parts.length !== 1) bad('expected one count');
      d.cacheRead = intArg(parts[0], 10_000_000);
      break;
    case 'cache-write':
      if (parts.length !== 1) bad('expected one count');
      d.cacheWrite = intArg(parts[0], 10_000_000);
      break;
    case 'error': {
      const errName = parts[0];
      if (errName === undefined || !/^[A-Za-z]{1,64}$/.test(errName)) bad('expected an error name like ThrottlingException');
      if (parts.length === 1) {
        if (!isPreStreamErrorName(errName as string)) bad(`unknown error name ${errName}`);
        d.error = { name: errName as string };
      } else d.error = { name: errName as string, after: after(1, 0) };
      break;
    }
    case 'stall': {
      const secs = Number(parts[0]);
      if (parts[0] === undefined || !Number.isFinite(secs) || secs < 0 || secs > 3600) bad('expected seconds 0..3600');
      d.stall = { ms: Math.round(secs * 1000), after: after(1, 1) };
      break;
    }
    case 'cut':
      d.cut = { after: after(0, 1) };
      break;
    case 'reset':
      d.reset = { after: after(0, 1) };
      break;
    case 'drop':
      d.drop = { after: after(0, 1) };
      break;
    case 'fail-first': {
      if (parts.length < 1 || parts.length > 2) bad('expected "N" or "N ErrorName"');
      const errName = parts[1] ?? 'ServiceUnavailableException';
      if (!isPreStreamErrorName(errName)) bad(`unknown error name ${errName}`);
      d.failFirst = { attempts: intArg(parts[0], 100), name: errName };
      break;
    }
    case 'fail-calls': {
      if (parts.length < 1 || parts.length > 2) bad('expected "N" or "N ErrorName"');
      const errName = parts[1] ?? 'ServiceUnavailableException';
      if (!isPreStreamErrorName(errName)) bad(`unknown error name ${errName}`);
      d.failCalls = { count: intArg(parts[0], 100), name: errName };
      break;
    }
    case 'ttft-ms':
      if (parts.length !== 1) bad('expected milliseconds');
      d.ttftMs = intArg(parts[0], 600_000, 'milliseconds');
      break;
    case 'tokens-per-second': {
      const n = Number(parts[0]);
      if (parts.length !== 1 || !Number.isFinite(n) || n < 0 || n > 1_000_000) bad('expected a rate 0..1000000 (0 = unlimited)');
      d.tokensPerSecond = n;
      break;
    }
    case 'tokens-per-chunk':
      if (parts.length !== 1) bad('expected one count');
      d.tokensPerChunk = Math.max(1, intArg(parts[0], 10_000));
      break;
    case 'guardrail-intervene': {
      const on = parts[0] ?? 'output';
      if (parts.length > 1 || (on !== 'input' && on !== 'output')) bad('expected nothing, "input" or "output"');
      d.guardrail = { on: on === 'input' ? 'input' : 'output' };
      break;
    }
  }
}
