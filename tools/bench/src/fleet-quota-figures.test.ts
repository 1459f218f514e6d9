import { describe, expect, it } from 'vitest';
import { fleetQuotaFigures, type QuotaTurnRecord } from './fleet-quota-figures.ts';

const primary = 'us.model';
const window = { startMs: 1_000_000, lengthMs: 30_000, rpm: 4, primaryModelId: primary, maxWaitMs: 10_000 };
const served = (submittedAt: number, startedAt: number, extra: Partial<QuotaTurnRecord> = {}): QuotaTurnRecord => ({
  submittedAt,
  startedAt,
  endedAt: startedAt + 100,
  modelId: primary,
  outcome: 'served',
  tokens: 50,
  ...extra,
});
const failed = (submittedAt: number, endedAt: number, errorCode: string): QuotaTurnRecord => ({
  submittedAt,
  endedAt,
  outcome: 'failed',
  errorCode,
  tokens: 0,
});

describe('fleetQuotaFigures', () => {
  it('goodput counts served turns that started inside the window, per minute; the primary share is judged against rpm', () => {
    const s = window.startMs;
    const turns = [
      served(s - 5000, s - 1), // warm-up, started before the window: not goodput
      served(s - 1, s + 100), // warm-up, served inside the window: goodput, not offered
      served(s + 1000, s + 29_999, { tokens: 70 }),
      served(s + 2000, s + 30_000), // at the window's end: outside
      served(s + 3000, s + 4000, { modelId: 'global.model', fallbackReason: 'wait_timeout' }),
    ];
    const f = fleetQuotaFigures(turns, window, { calls: 10, throttled: 1 });
    // 3 started in the window over half a minute, 2 of them on the primary; 3 submitted in it.
    expect(f).toMatchObject({
      offered: 3,
      offeredPerMin: 6,
      served: 3,
      failed: 0,
      goodputTurnsPerMin: 6,
      goodputTokensPerMin: 340,
      primaryTurnsPerMin: 4,
      primaryOfQuota: 1,
    });
    expect(f).toMatchObject({ servedByFallback: 1, fallbackReasons: { wait_timeout: 1 }, calls: 10, throttled: 1, throttledShare: 0.1 });
  });

  it('counts failures by code and which of them ended before maxWaitMs; an unfinished turn counts as failed within it only if it has an end', () => {
    const s = window.startMs;
    const turns = [
      failed(s, s + 9_999, 'throttled'),
      failed(s, s + 10_000, 'rate_limited'),
      failed(s, s + 500, 'throttled'),
      { submittedAt: s, outcome: 'failed' as const, fallbackReason: 'throttled', errorCode: 'no_terminal', tokens: 0 },
      failed(s - 1, s + 5, 'throttled'), // warm-up: not counted
    ];
    const f = fleetQuotaFigures(turns, window, { calls: 0, throttled: 0 });
    expect(f.failedByCode).toEqual({ throttled: 2, rate_limited: 1, no_terminal: 1 });
    expect(f.fallbackReasons).toEqual({ throttled: 1 });
    expect(f).toMatchObject({ failed: 4, served: 0, failedWithinMaxWait: 2, throttledShare: 0, goodputTurnsPerMin: 0 });
  });

  it('waits: submit → serving turn-start for served turns, turn-waiting → turn-start for those that waited', () => {
    const s = window.startMs;
    const turns = [
      served(s, s + 100),
      served(s, s + 300, { waitingAt: s + 50 }),
      served(s, s + 1100, { waitingAt: s + 100 }),
      failed(s, s + 20_000, 'rate_limited'),
    ];
    const f = fleetQuotaFigures([...turns, { ...failed(s, s + 20_000, 'rate_limited'), waitingAt: s + 10 }], window, {
      calls: 3,
      throttled: 0,
    });
    expect(f.submitToStart).toMatchObject({ n: 3, p50: 300, max: 1100 });
    expect(f.waitingToStart).toMatchObject({ n: 2, p50: 250, max: 1000 });
    expect(f.waited).toBe(3);
  });

  it('refuses a window without length or quota, naming the field', () => {
    expect(() => fleetQuotaFigures([], { ...window, lengthMs: 0 }, { calls: 0, throttled: 0 })).toThrow('window lengthMs must be > 0');
    expect(() => fleetQuotaFigures([], { ...window, rpm: Number.NaN }, { calls: 0, throttled: 0 })).toThrow('window rpm must be > 0');
  });
});
