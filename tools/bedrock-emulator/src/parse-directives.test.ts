import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirectiveError } from './directives.ts';
import { parseDirectives } from './parse-directives.ts';

describe('parseDirectives', () => {
  it('reads every directive kind', () => {
    const d = parseDirectives(
      [
        '[[say Hello there]] [[tokens 7]] [[reasoning 5]] [[redacted-reasoning]]',
        '[[tool get_weather {"city":"Paris","list":[[1,2]],"s":"]]"}]] [[tool ping]]',
        '[[stop max_tokens]] [[cache-read 10]] [[cache-write 20]] [[ttft-ms 5]] [[tokens-per-second 0]] [[tokens-per-chunk 2]]',
        '[[fail-first 2 ThrottlingException]] [[stall 1.5 after 3]]',
      ].join('\n'),
    );
    expect(d).toEqual({
      say: 'Hello there',
      tokens: 7,
      reasoningTokens: 5,
      redactedReasoning: true,
      tools: [
        { name: 'get_weather', input: { city: 'Paris', list: [[1, 2]], s: ']]' } },
        { name: 'ping', input: {} },
      ],
      stop: 'max_tokens',
      cacheRead: 10,
      cacheWrite: 20,
      ttftMs: 5,
      tokensPerSecond: 0,
      tokensPerChunk: 2,
      failFirst: { attempts: 2, name: 'ThrottlingException' },
      stall: { ms: 1500, after: 3 },
    });
  });

  it('distinguishes pre-stream and in-stream errors, and defaults cut/reset/stall positions', () => {
    expect(parseDirectives('[[error ThrottlingException]]').error).toEqual({ name: 'ThrottlingException' });
    expect(parseDirectives('[[error ModelStreamErrorException after 4]]').error).toEqual({ name: 'ModelStreamErrorException', after: 4 });
    expect(parseDirectives('[[cut]]').cut).toEqual({ after: 1 });
    expect(parseDirectives('[[reset after 0]]').reset).toEqual({ after: 0 });
    expect(parseDirectives('[[drop after 3]]').drop).toEqual({ after: 3 });
    expect(parseDirectives('[[stall 2]]').stall).toEqual({ ms: 2000, after: 1 });
    expect(parseDirectives('[[fail-first 1]]').failFirst).toEqual({ attempts: 1, name: 'ServiceUnavailableException' });
  });

  it('reads a guardrail intervention on the output (default) or the input', () => {
    expect(parseDirectives('[[guardrail-intervene]]').guardrail).toEqual({ on: 'output' });
    expect(parseDirectives('[[guardrail-intervene output]]').guardrail).toEqual({ on: 'output' });
    expect(parseDirectives('[[guardrail-intervene input]]').guardrail).toEqual({ on: 'input' });
  });

  it('leaves text that is not a known directive alone', () => {
    expect(parseDirectives('see [[Main Page]] and [[toolbox]] and [[ tokens 3]] [[')).toEqual({ tools: [] });
  });

  it.each([
    ['[[tokens abc]]', /\[\[tokens abc\]\]: expected a count/],
    ['[[tokens 999999999]]', /expected a count 0\.\.100000/],
    ['[[error NoSuchException]]', /unknown error name NoSuchException/],
    ['[[error ThrottlingException later 3]]', /expected "after N"/],
    ['[[stall -1]]', /expected seconds/],
    ['[[stop END TURN]]', /expected a stop reason/],
    ['[[tool get_weather {"city":}]]', /input is not valid JSON/],
    ['[[tool get_weather {"city":"x"', /unterminated JSON input/],
    ['[[tool]]', /expected a tool name/],
    ['[[tokens 3', /missing closing/],
    ['[[fail-first 2 Nope]]', /unknown error name Nope/],
    ['[[redacted-reasoning now]]', /takes no arguments/],
    ['[[guardrail-intervene always]]', /\[\[guardrail-intervene always\]\]: expected nothing, "input" or "output"/],
  ])('rejects %s naming the directive', (text, re) => {
    expect(() => parseDirectives(text)).toThrow(DirectiveError);
    expect(() => parseDirectives(text)).toThrow(re);
  });

  it('caps the number of directives', () => {
    expect(() => parseDirectives('[[tool a]]'.repeat(65))).toThrow(/more than 64 directives/);
  });

  it('treats __proto__ in tool input as plain data', () => {
    const d = parseDirectives('[[tool t {"__proto__":{"polluted":true}}]]');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(d.tools[0]?.input as object)).toEqual(['__proto__']);
  });

  it('throws nothing but DirectiveError on arbitrary text', () => {
    const pieces = fc.constantFrom(
      '[[',
      ']]',
      'tool ',
      'tokens ',
      'error ',
      'after ',
      '{',
      '}',
      '"',
      '\\',
      ' ',
      '3',
      '-1',
      'x',
      'say ',
      'stall ',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 40 }), (parts) => {
        try {
          parseDirectives(parts.join(''));
        } catch (err) {
          if (!(err instanceof DirectiveError)) throw err;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('fail-calls directive', () => {
  it('parses a count and an error name, and refuses unknown names', () => {
    expect(parseDirectives('[[fail-calls 3 ThrottlingException]]').failCalls).toEqual({ count: 3, name: 'ThrottlingException' });
    expect(parseDirectives('[[fail-calls 1]]').failCalls).toEqual({ count: 1, name: 'ServiceUnavailableException' });
    expect(() => parseDirectives('[[fail-calls 2 NoSuchError]]')).toThrow(/unknown error name/);
  });
});
