import { describe, expect, it } from 'vitest';
import type { ModelQuota } from './model-quota.ts';
import { QuotaBuckets, type Admission } from './quota-buckets.ts';
import { reservedTokens, settledTokens } from './quota-tokens.ts';

const MIN = 60_000;
const key = 'us.amazon.nova-pro-v1:0';
const outcome = (a: Admission): string => (a.ok ? 'ok' : a.reason);

/** `n` admissions of `tokens` each at clock `t`, as a list of outcomes. */
function admitMany(b: QuotaBuckets, t: number, quota: ModelQuota, n: number, tokens = 1): string[] {
  return Array.from({ length: n }, () => outcome(b.admit(t, 'us-east-1', key, quota, tokens)));
}

describe('QuotaBuckets: requests per minute', () => {
  it('admits a full bucket at once, then refills rpm/60 per second, never above rpm', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { rpm: 3 };
    expect(admitMany(b, 0, q, 4)).toEqual(['ok', 'ok', 'ok', 'rpm']);
    expect(admitMany(b, 19_999, q, 1)).toEqual(['rpm']);
    expect(admitMany(b, 20_000, q, 2)).toEqual(['ok', 'rpm']);
    // Ten minutes idle refill to capacity (3), not to 30.
    expect(admitMany(b, 20_000 + 10 * MIN, q, 4)).toEqual(['ok', 'ok', 'ok', 'rpm']);
  });

  it('adds up fractional refills exactly (three thirds make one request)', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { rpm: 180 }; // 3 per second: one every 333.33 ms
    admitMany(b, 0, q, 180);
    expect(admitMany(b, 0, q, 1)).toEqual(['rpm']);
    for (const t of [111, 222]) expect(b.levels(t, { [key]: q })['us-east-1']?.[key]?.rpm).toBeLessThan(1);
    expect(admitMany(b, 1000 / 3, q, 2)).toEqual(['ok', 'rpm']);
  });

  it('keeps one bucket per (region, key): a profile and its bare model, or two regions, do not share', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { rpm: 1 };
    expect(outcome(b.admit(0, 'us-east-1', key, q, 1))).toBe('ok');
    expect(outcome(b.admit(0, 'us-east-1', key, q, 1))).toBe('rpm');
    expect(outcome(b.admit(0, 'us-east-1', 'amazon.nova-pro-v1:0', q, 1))).toBe('ok');
    expect(outcome(b.admit(0, 'us-west-2', key, q, 1))).toBe('ok');
  });

  it('starts fresh buckets when the quota entry is replaced, and after clear()', () => {
    const b = new QuotaBuckets();
    expect(admitMany(b, 0, { rpm: 1 }, 2)).toEqual(['ok', 'rpm']);
    expect(admitMany(b, 0, { rpm: 1 }, 2)).toEqual(['ok', 'rpm']);
    const q: ModelQuota = { rpm: 1 };
    admitMany(b, 0, q, 1);
    b.clear();
    expect(admitMany(b, 0, q, 1)).toEqual(['ok']);
  });

  it('treats a quota of 0 as "always throttled"', () => {
    expect(admitMany(new QuotaBuckets(), 0, { rpm: 0 }, 1)).toEqual(['rpm']);
    expect(admitMany(new QuotaBuckets(), 5 * MIN, { tpm: 0 }, 1)).toEqual(['tpm']);
  });
});

describe('QuotaBuckets: tokens per minute, reserved at admission and settled at the end', () => {
  it('refuses a reservation larger than what is left, and one larger than the whole quota forever', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { tpm: 1000 };
    expect(admitMany(b, 0, q, 3, 400)).toEqual(['ok', 'ok', 'tpm']);
    expect(admitMany(b, 10 * MIN, q, 1, 1001)).toEqual(['tpm']);
  });

  it('gives back the unused part of a reservation at settle, so a following call fits', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { tpm: 1000 };
    const first = b.admit(0, 'us-east-1', key, q, 800);
    expect(first.ok).toBe(true);
    expect(admitMany(b, 0, q, 1, 800)).toEqual(['tpm']);
    if (first.ok) b.settle(0, first.reservation, 150);
    expect(b.levels(0, { [key]: q })['us-east-1']?.[key]?.tpm).toBe(850);
    expect(admitMany(b, 0, q, 1, 800)).toEqual(['ok']);
  });

  it('takes an overrun (burndown past the reservation) and holds later calls until the refill covers it', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { tpm: 600 };
    const a = b.admit(0, 'us-east-1', key, q, 600);
    if (!a.ok) throw new Error('not admitted');
    b.settle(0, a.reservation, 900); // 300 more than reserved
    expect(b.levels(0, { [key]: q })['us-east-1']?.[key]?.tpm).toBe(-300);
    expect(admitMany(b, 30_000, q, 1, 1)).toEqual(['tpm']); // -300 + 300 = 0
    expect(admitMany(b, 30_100, q, 1, 1)).toEqual(['ok']);
  });

  it('does not take the request when the tokens are refused (admission is all or nothing)', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { rpm: 2, tpm: 100 };
    expect(admitMany(b, 0, q, 1, 500)).toEqual(['tpm']);
    expect(admitMany(b, 0, q, 3, 10)).toEqual(['ok', 'ok', 'rpm']);
  });

  it('settles into the refilled level, capped at the quota', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { tpm: 6000 };
    const a = b.admit(0, 'us-east-1', key, q, 6000);
    if (!a.ok) throw new Error('not admitted');
    b.settle(30_000, a.reservation, 100); // refilled 3000, gives back 5900 -> capped at 6000
    expect(b.levels(30_000, { [key]: q })['us-east-1']?.[key]?.tpm).toBe(6000);
  });
});

describe('QuotaBuckets: tokens per day', () => {
  it('refuses with "daily" once the day is spent, refills tpd/86400 per second (rolling day)', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { tpm: 1_000, tpd: 2_400 };
    expect(admitMany(b, 0, q, 1, 1000)).toEqual(['ok']);
    expect(admitMany(b, MIN, q, 1, 1000)).toEqual(['ok']);
    expect(admitMany(b, 5 * MIN, q, 1, 1000)).toEqual(['daily']); // tpm is full again, the day is not: 400 + 5 min of 100/h
    expect(b.levels(5 * MIN, { [key]: q })['us-east-1']?.[key]).toEqual({ tpm: 1000, daily: 408.333 });
    expect(admitMany(b, 6 * 60 * MIN, q, 1, 1000)).toEqual(['ok']); // 400 + 6 h × 100/h
  });

  it('settles the day bucket the same way as tpm', () => {
    const b = new QuotaBuckets();
    const q: ModelQuota = { tpd: 1000 };
    const a = b.admit(0, 'us-east-1', key, q, 900);
    if (!a.ok) throw new Error('not admitted');
    b.settle(0, a.reservation, 100);
    expect(b.levels(0, { [key]: q })['us-east-1']?.[key]).toEqual({ daily: 900 });
  });
});

describe('reservedTokens / settledTokens', () => {
  const usage = { inputTokens: 500, cacheReadInputTokens: 2000, cacheWriteInputTokens: 300 };
  it('reserves input + cache read + cache write + maxTokens (AWS: 500 input, maxTokens 1000)', () => {
    expect(reservedTokens(usage, 1000)).toBe(3800);
    expect(reservedTokens({ inputTokens: 500, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }, 1000)).toBe(1500);
  });
  it('settles to input + cache write + output × burndown, releasing cache reads', () => {
    expect(settledTokens(usage, 40, 1)).toBe(840);
    expect(settledTokens(usage, 40, 5)).toBe(1000);
    expect(settledTokens(usage, 3, 1.5)).toBe(805); // 4.5 rounds up
  });
});
