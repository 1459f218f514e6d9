import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ConfigError, parseConfigText } from '@turnpool/config';
import { startPool } from '../pool/start-pool.ts';
import { rawRequest } from '../pool/raw-http.ts';
import { countBy } from '../stats.ts';
import { configCase } from './config-fuzz-cases.ts';
import { compatFuzzRequest } from './compat-fuzz-cases.ts';
import { fuzzRequest, type FuzzRequest } from './fuzz-cases.ts';

/** Hostile requests for turnpool's own API and its OpenAI / Anthropic faces. */
const anyRequest = fc.oneof({ arbitrary: fuzzRequest, weight: 3 }, { arbitrary: compatFuzzRequest, weight: 2 });

export interface BadInputOptions {
  /** Hostile HTTP requests. @defaultValue 2000 */
  httpCases?: number;
  /** Hostile config texts / env sets. @defaultValue 2000 */
  configCases?: number;
  /** Requests in flight at once. @defaultValue 4 */
  concurrency?: number;
  seed?: number;
}

/** A response that broke the contract (not a 4xx, not our JSON error, no field). */
export interface Violation {
  kind: string;
  request: string;
  status: number;
  body: string;
}

export interface BadInputReport {
  httpCases: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  /** 4xx answers whose JSON error named the field (`error.field`) or, for 404, the missing thing. */
  namedField: number;
  violations: number;
  /** Violations matching a {@link knownIssues} entry, by id. */
  knownIssueCounts: Record<string, number>;
  /** Violations matching none (must be 0); up to 5 of them. */
  unknownViolations: number;
  violationSamples: Violation[];
  /** The dispatcher process was still up and /healthz answered 200 afterwards. */
  processUp: boolean;
  /** Dispatcher RSS (MB) after a warm-up and after all cases. */
  rssBeforeMb: number;
  rssAfterMb: number;
  configCases: number;
  configOutcomes: Record<string, number>;
  /** Config cases refused as a whole file (not an object, over the size limit): ConfigError naming the file. */
  configWholeFile: number;
  /** Config cases that threw something other than a ConfigError naming the key, the env variable, the line, or (whole-file problems) the file. */
  configViolations: number;
  configViolationSamples: string[];
  durationMs: number;
  seed: number;
}

const rssMb = (pid: number | undefined) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
};

function describeRequest(r: FuzzRequest): string {
  const body = r.body ? r.body.subarray(0, 160).toString('latin1') : '';
  return `${r.method} ${r.path.slice(0, 120)} ${JSON.stringify(r.headers).slice(0, 160)} ${body}${(r.body?.length ?? 0) > 160 ? `… (${r.body?.length} bytes)` : ''}`;
}

/**
 * Contract breaks found by this fuzzer in other parts that are reported but not fixed yet: each
 * is counted under its id so a run stays green on them and fails on anything new. Empty: the four
 * found so far (non-object body, text/plain, Fastify's 414 and client-error bodies) are fixed.
 */
export const knownIssues: { id: string; match: (v: Violation) => boolean }[] = [];

/**
 * Checks one answer against the contract; returns why it breaks it, or null. Under `/openai/`
 * and `/anthropic/` the error is in that API's shape: OpenAI's `{error: {message, type, param,
 * code}}` names the field in `param`; Anthropic's `{type: "error", error: {type, message}}` has
 * no field member, so its message starts with the field (`max_tokens: is required`).
 */
export function judgeAnswer(status: number, body: string, path = ''): { violation: string | null; named: boolean } {
  if (status < 400 || status > 499) return { violation: `status ${status}`, named: false };
  if (path.startsWith('/openai/') || path === '/openai' || path.startsWith('/anthropic/') || path === '/anthropic')
    return judgeCompatAnswer(status, body, path.startsWith('/openai') ? 'openai' : 'anthropic');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { violation: 'body is not JSON', named: false };
  }
  const err = (parsed as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (typeof err !== 'object' || err === null || typeof err.code !== 'string' || typeof err.message !== 'string') {
    return { violation: 'not {error:{code,message}}', named: false };
  }
  const named = typeof err.field === 'string' && err.field.length > 0;
  if (status === 404) return { violation: null, named: named || err.code === 'not_found' };
  if (!named && status !== 401) return { violation: `error ${err.code} names no field`, named };
  return { violation: null, named };
}

/**
 * A message that leads with a field path: segments `name`, `.name`, `[0]` or `["any key"]` (a key
 * that is not a plain name is a JSON string, quotes and backslashes escaped), then `: `.
 */
const fieldPathLead = /^(?:[A-Za-z_][\w-]*|\["(?:[^"\\]|\\.)*"\])(?:\.[A-Za-z_][\w-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*: /;

function judgeCompatAnswer(status: number, body: string, api: 'openai' | 'anthropic'): { violation: string | null; named: boolean } {
  let parsed: { type?: unknown; error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown } } | null;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { violation: 'body is not JSON', named: false };
  }
  const err = parsed?.error;
  if (typeof err !== 'object' || err === null || typeof err.message !== 'string' || typeof err.type !== 'string') {
    return { violation: `not ${api === 'openai' ? '{error:{message,type}}' : '{type:"error",error:{type,message}}'}`, named: false };
  }
  if (api === 'anthropic' && parsed?.type !== 'error') return { violation: 'not {type:"error"}', named: false };
  const named = api === 'openai' ? typeof err.param === 'string' && err.param.length > 0 : fieldPathLead.test(err.message);
  if (status === 404) return { violation: null, named: named || err.type === 'not_found_error' };
  if (!named && status !== 401) return { violation: `${api} error names no field`, named };
  return { violation: null, named };
}

/**
 * Scenario 6: a fast-check fuzzer over the dispatcher's HTTP API (bodies, headers, ids) and the
 * config loader: every answer a 4xx with a JSON error naming the field, the process stays up,
 * memory stays bounded.
 */
export async function runBadInput(o: BadInputOptions = {}): Promise<BadInputReport> {
  const seed = o.seed ?? Date.now() % 100_000;
  const started = Date.now();
  const pool = await startPool({ workers: 0 });
  try {
    const port = Number(new URL(pool.dispatcherUrl).port);
    const dispatcherPid = pool.dispatcher?.child.pid;
    const total = o.httpCases ?? 2000;
    const byKind: string[] = [];
    const statuses: number[] = [];
    const violations: Violation[] = [];
    let named = 0;
    const run = async (r: FuzzRequest) => {
      const res = await rawRequest(port, r);
      byKind.push(r.kind);
      statuses.push(res.status);
      const j = judgeAnswer(res.status, res.body, r.path);
      if (j.named) named++;
      if (j.violation)
        violations.push({
          kind: r.kind,
          request: describeRequest(r),
          status: res.status,
          body: `${j.violation}: ${res.body.slice(0, 200)}`,
        });
    };
    let rssBefore = 0;
    const batch = 50;
    for (let done = 0, round = 0; done < total; round++) {
      const cases = fc.sample(anyRequest, { numRuns: Math.min(batch, total - done), seed: seed + round });
      for (let i = 0; i < cases.length; i += o.concurrency ?? 4) await Promise.all(cases.slice(i, i + (o.concurrency ?? 4)).map(run));
      done += cases.length;
      if (round === 0) rssBefore = dispatcherPid ? rssMb(dispatcherPid) : 0;
    }
    const health = await fetch(`${pool.dispatcherUrl}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    const rssAfter = dispatcherPid ? rssMb(dispatcherPid) : 0;

    const config = fuzzConfig(o.configCases ?? 2000, seed);
    const known = violations.map((v) => knownIssues.find((k) => k.match(v))?.id ?? null);
    const unknown = violations.filter((_, i) => known[i] === null);
    return {
      httpCases: statuses.length,
      byKind: countBy(byKind, (k) =>
        k.replace(/ (root|message|block|inferenceConfig|toolInput|text|model|role|system|turnId|toolName|tools|messages|promptCache)$/, ''),
      ),
      byStatus: countBy(statuses, (s) => String(s)),
      namedField: named,
      violations: violations.length,
      knownIssueCounts: countBy(known, (k) => k),
      unknownViolations: unknown.length,
      violationSamples: unknown.slice(0, 5),
      processUp: health === 200,
      rssBeforeMb: rssBefore,
      rssAfterMb: rssAfter,
      ...config,
      durationMs: Date.now() - started,
      seed,
    };
  } finally {
    await pool.close();
  }
}

/** Runs the config fuzz cases through parseConfigText (the loader's parser + schema + env overrides). */
export function fuzzConfig(
  n: number,
  seed: number,
): {
  configCases: number;
  configOutcomes: Record<string, number>;
  configViolations: number;
  configViolationSamples: string[];
  configWholeFile: number;
} {
  const outcomes: string[] = [];
  const bad: string[] = [];
  let whole = 0;
  for (const c of fc.sample(configCase, { numRuns: n, seed })) {
    try {
      parseConfigText(c.text, { env: c.env, file: '/tmp/fuzz.json5' });
      outcomes.push('accepted');
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        outcomes.push('other error');
        bad.push(
          `${(err as Error).name}: ${(err as Error).message.slice(0, 150)} <- ${c.text.slice(0, 120)} ${JSON.stringify(c.env).slice(0, 80)}`,
        );
        continue;
      }
      const first = err.problems[0];
      const fromEnv = Object.keys(c.env).length > 0;
      const wholeFile = !fromEnv && err.keyPath === '' && err.file !== undefined && err.message.includes(err.file);
      outcomes.push(wholeFile ? `${err.code} (whole file)` : err.code);
      if (wholeFile) whole++;
      const namesKey = fromEnv
        ? first?.envVar !== undefined && err.message.includes(first.envVar)
        : err.keyPath !== '' || (err.code === 'config_parse' && err.line !== undefined) || wholeFile;
      if (!namesKey)
        bad.push(`${err.code} names no key: ${err.message.slice(0, 150)} <- ${c.text.slice(0, 120)} ${JSON.stringify(c.env).slice(0, 80)}`);
    }
  }
  return {
    configCases: outcomes.length,
    configWholeFile: whole,
    configOutcomes: countBy(outcomes, (x) => x),
    configViolations: bad.length,
    configViolationSamples: bad.slice(0, 5),
  };
}
