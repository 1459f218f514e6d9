import { describe, expect, it } from 'vitest';
import { judgeAnswer, runBadInput } from './bad-input.ts';

describe('judgeAnswer', () => {
  it('accepts a 4xx JSON error naming the field, refuses anything else', () => {
    expect(judgeAnswer(400, '{"error":{"code":"invalid_request","message":"m","retryable":false,"field":"messages"}}').violation).toBeNull();
    expect(judgeAnswer(400, '{"error":{"code":"invalid_request","message":"m"}}').violation).toMatch(/names no field/);
    expect(judgeAnswer(500, '{"error":{"code":"internal","message":"m"}}').violation).toMatch(/status 500/);
    expect(judgeAnswer(400, 'Bad Request').violation).toMatch(/not JSON/);
    expect(judgeAnswer(404, '{"error":{"code":"not_found","message":"No route"}}').violation).toBeNull();
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
