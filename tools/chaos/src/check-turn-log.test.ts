import { describe, expect, it } from 'vitest';
import { checkTurnLog, isCleanLog, type LoggedEvent } from './check-turn-log.ts';

const ev = (type: string, seq: number, attempt = 1, code?: string): LoggedEvent => ({ type, seq, attempt, ...(code ? { code } : {}) });

describe('checkTurnLog', () => {
  it('accepts a gapless log with one terminal and a retry that marks attempt 2', () => {
    const v = checkTurnLog([
      ev('turn-start', 1),
      ev('text-delta', 2),
      ev('turn-retry', 3, 2),
      ev('turn-start', 4, 2),
      ev('turn-end', 5, 2),
    ]);
    expect(v).toMatchObject({ terminal: 'turn-end', terminalCount: 1, gaps: 0, duplicates: 0, retries: 1, attempts: 2 });
    expect(isCleanLog(v)).toBe(true);
  });
  it('counts gaps, duplicates, a second terminal, events after it and an unmarked attempt', () => {
    const v = checkTurnLog([
      ev('turn-start', 1),
      ev('text-delta', 3),
      ev('text-delta', 3),
      ev('turn-start', 4, 2),
      ev('turn-error', 5, 2, 'rate_limited'),
      ev('turn-end', 6, 2),
    ]);
    expect(v).toMatchObject({ gaps: 1, duplicates: 1, terminalCount: 2, afterTerminal: 1, unmarkedAttempts: 1, terminal: 'turn-end' });
    expect(isCleanLog(v)).toBe(false);
  });
  it('reports an unfinished log as not clean and names the error code', () => {
    expect(isCleanLog(checkTurnLog([ev('turn-start', 1)]))).toBe(false);
    expect(checkTurnLog([ev('turn-start', 1), ev('turn-error', 2, 1, 'upstream_timeout')]).code).toBe('upstream_timeout');
  });
});
