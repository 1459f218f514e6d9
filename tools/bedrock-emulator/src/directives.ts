import type { PreStreamErrorName } from './error-catalogue.ts';

/** What the directives in the last user message ask for (see docs/emulator.md). */
export interface Directives {
  /** `[[say TEXT]]`: the exact answer text. */
  say?: string;
  /** `[[tokens N]]`: generate N text tokens (0 = no text block). */
  tokens?: number;
  /** `[[reasoning]]` / `[[reasoning N]]`: a signed reasoning block of N tokens. */
  reasoningTokens?: number;
  /** `[[redacted-reasoning]]`: a redactedContent reasoning block. */
  redactedReasoning?: boolean;
  /** `[[tool NAME {json}]]`, repeatable: tool calls in order. */
  tools: { name: string; input: unknown }[];
  /**
   * `[[guardrail-intervene]]` / `[[guardrail-intervene input|output]]`: when the request has a
   * `guardrailConfig`, the guardrail blocks the output (default) or the input.
   */
  guardrail?: { on: 'input' | 'output' };
  /** `[[stop REASON]]`: the stop reason to report. */
  stop?: string;
  /** `[[cache-read N]]`, `[[cache-write N]]`: usage cache token counts. */
  cacheRead?: number;
  cacheWrite?: number;
  /** `[[error NAME]]` (pre-stream) or `[[error NAME after N]]` (in-stream after N events). */
  error?: { name: string; after?: number };
  /** `[[stall SECONDS after N]]`: pause after N events. */
  stall?: { ms: number; after: number };
  /** `[[cut after N]]`: end the body in the middle of event N+1. */
  cut?: { after: number };
  /** `[[reset after N]]`: abort the connection/stream after N events. */
  reset?: { after: number };
  /** `[[drop after N]]`: close the TCP connection after N events, without RST_STREAM. */
  drop?: { after: number };
  /** `[[fail-first N NAME]]`: the first N attempts of one invocation get error NAME. */
  failFirst?: { attempts: number; name: PreStreamErrorName | string };
  /**
   * `[[fail-calls N NAME]]`: the first N calls with this exact request (model + body) get error NAME,
   * whatever their SDK attempt header says — so a caller's own retries (BullMQ's) see it too.
   */
  failCalls?: { count: number; name: PreStreamErrorName | string };
  ttftMs?: number;
  tokensPerSecond?: number;
  tokensPerChunk?: number;
}

/** A directive with bad arguments; becomes a 400 ValidationException naming the directive. */
export class DirectiveError extends Error {
  override readonly name = 'DirectiveError';
  readonly code = 'EMULATOR_BAD_DIRECTIVE';
}

export const directiveNames = [
  'say',
  'tokens',
  'reasoning',
  'redacted-reasoning',
  'tool',
  'stop',
  'cache-read',
  'cache-write',
  'error',
  'stall',
  'cut',
  'reset',
  'drop',
  'fail-first',
  'fail-calls',
  'ttft-ms',
  'tokens-per-second',
  'tokens-per-chunk',
  'guardrail-intervene',
] as const;
