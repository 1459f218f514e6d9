import { describe, expect, it } from 'vitest';
import { judgeAnswer, runBadInput } from './bad-input.ts';

describe('judgeAnswer', () => {
  it('accepts a 4xx JSON error naming the field, refuses anything else', () => {
    expect(
      judgeAnswer(400, '{"error":{"code":"invalid_request","message":"m","retryable":false,"field":"messages"}}').violation,
    ).toBeNull();
    expect(judgeAnswer(400, '{"error":{"code":"invalid_request","message":"m"}}').violation).toMatch(/names no field/);
    expect(judgeAnswer(500, '{"error":{"code":"internal","message":"m"}}').violation).toMatch(/status 500/);
    expect(judgeAnswer(400, 'Bad Request').violation).toMatch(/not JSON/);
    expect(judgeAnswer(404, '{"error":{"code":"not_found","message":"No route"}}').violation).toBeNull();
  });

  it('judges the OpenAI and Anthropic faces by their own error shapes', () => {
    expect(
      judgeAnswer(
        400,
        '{"error":{"message":"temperature: expected a number","type":"invalid_request_error","param":"temperature","code":"invalid_request"}}',
        '/openai/v1/chat/completions',
      ).violation,
    ).toBeNull();
    expect(
      judgeAnswer(
        400,
        '{"error":{"message":"m","type":"invalid_request_error","param":null,"code":"invalid_request"}}',
        '/openai/v1/chat/completions',
      ).violation,
    ).toMatch(/names no field/);
    expect(
      judgeAnswer(400, '{"error":{"code":"invalid_request","message":"m","field":"x"}}', '/openai/v1/chat/completions').violation,
    ).toMatch(/not \{error/);
    expect(
      judgeAnswer(
        400,
        '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: is required"}}',
        '/anthropic/v1/messages',
      ).violation,
    ).toBeNull();
    expect(
      judgeAnswer(400, '{"type":"error","error":{"type":"invalid_request_error","message":"Bad."}}', '/anthropic/v1/messages').violation,
    ).toMatch(/names no field/);
    // Keys that are not plain names are JSON strings in the path, escapes and all (a fuzzed metadata key with a quote).
    for (const field of ['metadata["\\"Iq"]', 'messages[0].content[1].source.data', '["odd key"].x', 'tools[2]["a\\\\b"]'])
      expect(
        judgeAnswer(
          400,
          JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `${field}: bad` } }),
          '/anthropic/v1/messages',
        ).violation,
      ).toBeNull();
    expect(
      judgeAnswer(
        400,
        JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'a b: bad' } }),
        '/anthropic/v1/messages',
      ).violation,
    ).toMatch(/names no field/);
    expect(
      judgeAnswer(404, '{"type":"error","error":{"type":"not_found_error","message":"No route GET /anthropic/x."}}', '/anthropic/x')
        .violation,
    ).toBeNull();
    expect(judgeAnswer(500, '{"type":"error","error":{"type":"api_error","message":"m"}}', '/anthropic/v1/messages').violation).toMatch(
      /status 500/,
    );
  });
});

describe('chaos 6: hostile input (fast-check over the HTTP API and the config loader; quick form)', () => {
  it('every answer is a 4xx JSON error naming the field; the dispatcher stays up with bounded memory', async () => {
    const r = await runBadInput({ httpCases: 400, configCases: 600 });
    expect(r.violationSamples).toEqual([]);
    expect(r.unknownViolations).toBe(0);
    expect(r.httpCases).toBe(400);
    expect(r.processUp).toBe(true);
    expect(r.rssAfterMb - r.rssBeforeMb).toBeLessThan(200);
    expect(r.configViolationSamples).toEqual([]);
    expect(r.configCases).toBe(600);
  }, 150_000);
});
