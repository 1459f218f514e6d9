import { describe, expect, it } from 'vitest';
import { parseLastEventId } from './parse-last-event-id.ts';

describe('parseLastEventId', () => {
  it('absent header -> undefined; decimal seq -> number', () => {
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId('0')).toBe(0);
    expect(parseLastEventId('42')).toBe(42);
    expect(parseLastEventId(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '-1',
    '+1',
    '01',
    '1e3',
    '0x10',
    '1.0',
    'NaN',
    'Infinity',
    '9007199254740992',
    '99999999999999999999',
    '1\n',
    '__proto__',
    '１２',
  ])('refuses %j naming Last-Event-ID', (value) => {
    expect(() => parseLastEventId(value)).toThrow(
      expect.objectContaining({
        code: 'invalid_last_event_id',
        field: 'Last-Event-ID',
        retryable: false,
        message: expect.stringContaining('Last-Event-ID'),
      }),
    );
  });

  it('refuses a repeated header and a long value without echoing all of it', () => {
    expect(() => parseLastEventId(['1', '2'])).toThrow(/Last-Event-ID must be sent once/);
    expect(() => parseLastEventId('9'.repeat(10_000))).toThrow(
      expect.objectContaining({
        message: expect.not.stringMatching(/9{100}/),
      }),
    );
  });
});
