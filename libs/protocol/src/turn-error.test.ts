import { describe, expect, it } from 'vitest';
import { errorCodes } from './error-codes.ts';
import { TurnError } from './turn-error.ts';
import { turnErrorFromData } from './turn-error-from-data.ts';

describe('TurnError', () => {
  it('takes message, retryable and status from the catalogue by default', () => {
    const e = new TurnError('rate_limited');
    expect(e).toBeInstanceOf(Error);
    expect({ code: e.code, message: e.message, retryable: e.retryable, status: e.status }).toEqual({
      code: 'rate_limited',
      message: errorCodes.rate_limited.message,
      retryable: true,
      status: 429,
    });
  });

  it('serialises to the plain form, with field only when set and never details or cause', () => {
    expect(
      JSON.parse(
        JSON.stringify(new TurnError('invalid_request', 'bad', { field: 'messages[0]', details: { x: 1 }, cause: new Error('c') })),
      ),
    ).toEqual({ code: 'invalid_request', message: 'bad', retryable: false, field: 'messages[0]' });
    expect(new TurnError('internal', 'x', { retryable: true }).toJSON()).toEqual({ code: 'internal', message: 'x', retryable: true });
  });

  it('round-trips through structuredClone-able data (threads, Redis)', () => {
    const original = new TurnError('context_overflow', 'too long', { field: 'messages' });
    const rebuilt = turnErrorFromData(structuredClone(original.toJSON()));
    expect(rebuilt).toBeInstanceOf(TurnError);
    expect(rebuilt.toJSON()).toEqual(original.toJSON());
  });
});

describe('turnErrorFromData', () => {
  it('keeps an explicit retryable over the catalogue', () => {
    expect(turnErrorFromData({ code: 'rate_limited', message: 'm', retryable: false }).retryable).toBe(false);
  });
  it('maps an unknown code to internal and keeps the original code in details', () => {
    const e = turnErrorFromData({ code: 'bogus', message: 'm' });
    expect({ code: e.code, message: e.message, details: e.details }).toEqual({
      code: 'internal',
      message: 'm',
      details: { code: 'bogus' },
    });
  });
  it('never throws on garbage', () => {
    for (const v of [null, undefined, 1, 'x', [], { code: 5 }, { message: {} }]) {
      expect(turnErrorFromData(v).code).toBe('internal');
    }
  });
  it('fills a missing message from the catalogue', () => {
    expect(turnErrorFromData({ code: 'idle_timeout' }).message).toBe(errorCodes.idle_timeout.message);
  });
});

describe('errorCodes', () => {
  it('gives every code an HTTP status, a message and retryable', () => {
    for (const [code, info] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(info.status >= 400 && info.status < 600).toBe(true);
      expect(info.message.length).toBeGreaterThan(10);
    }
  });
  it('marks exactly the transient failures retryable', () => {
    const retryable = Object.entries(errorCodes)
      .filter(([, i]) => i.retryable)
      .map(([c]) => c)
      .sort();
    expect(retryable).toEqual([
      'first_chunk_timeout',
      'idle_timeout',
      'rate_limited',
      'service_unavailable',
      'upstream_unavailable',
      'worker_lost',
    ]);
  });
  it('quota_exceeded (an account quota) is not retryable and says how to raise the quota', () => {
    expect(errorCodes.quota_exceeded).toMatchObject({ status: 429, retryable: false });
    expect(errorCodes.quota_exceeded.message).toContain('Service Quotas console');
    expect(errorCodes.quota_exceeded.message).toContain('service code bedrock');
    expect(errorCodes.rate_limited.message).not.toContain('quota');
  });
});
