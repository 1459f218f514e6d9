import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { createAdmission, type AdmissionControl, type Lease } from './create-admission.ts';

const redis = new Redis(testRedisUrl());
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await cleanupPrefix(redis, p);
  redis.disconnect();
});

let clock = 1_700_000_000_000;
const key = 'us-east-1/anthropic.claude-test';
function admission(extra: { leaseTtlMs?: number; waiterTtlMs?: number } = {}): AdmissionControl {
  const keyPrefix = uniquePrefix('quota');
  prefixes.push(keyPrefix);
  return createAdmission({ redis, keyPrefix, now: () => clock, ...extra });
}
beforeEach(() => {
  clock += 10 * 86_400_000;
});

async function admitted(a: AdmissionControl, budget: object, need: number, turn: string): Promise<Lease> {
  const r = await a.acquire(key, budget, need, turn);
  if (r.status !== 'admitted') throw new Error(`${turn} not admitted: ${JSON.stringify(r)}`);
  return r.lease;
}

describe('fleet-wide admission (real Redis, moved clock)', () => {
  it('requests per minute: a full bucket admits rpm calls, then refills continuously', async () => {
    const a = admission();
    const budget = { rpm: 60 };
    for (let i = 0; i < 60; i++) await admitted(a, budget, 10, `t${i}`);
    const over = await a.acquire(key, budget, 10, 'late');
    expect(over).toEqual({ status: 'wait', reason: 'rpm', position: 1, etaMs: 1000 });
    clock += 1000;
    expect((await a.acquire(key, budget, 10, 'late')).status).toBe('admitted');
  });

  it('tokens per minute are reserved at admission and the unused part comes back at settle, waking the waiter', async () => {
    const a = admission();
    const budget = { tpm: 1000 };
    const one = await admitted(a, budget, 400, 'a');
    await admitted(a, budget, 400, 'b');
    const waits = await a.acquire(key, budget, 400, 'c');
    expect(waits).toMatchObject({ status: 'wait', reason: 'tpm', position: 1 });
    // Only 200 left: refill alone would take 12 s; the settle gives back 300 at once.
    expect(waits.status === 'wait' && waits.etaMs).toBe(12_000);
    expect(await a.settle(one, budget, { usedTokens: 100, outcome: 'ok' })).toEqual(['c']);
    expect((await a.acquire(key, budget, 400, 'c')).status).toBe('admitted');
    const [s] = await a.status([key]);
    expect(s).toMatchObject({ inFlight: 2, reservedTokens: 800, waiting: 0, tokensToday: 900, totals: { admitted: 3, waited: 1 } });
  });

  it('FIFO per key: a later, smaller turn does not take what the head of the line needs', async () => {
    const a = admission();
    const budget = { tpm: 1000 };
    await admitted(a, budget, 800, 'first');
    expect(await a.acquire(key, budget, 500, 'head')).toMatchObject({ status: 'wait', position: 1 });
    // 200 available: 'small' would fit alone, but the head needs 500 first.
    expect(await a.acquire(key, budget, 100, 'small')).toMatchObject({ status: 'wait', position: 2 });
    clock += 24_000; // +400 -> 600: the head's 500 + small's 100
    expect((await a.acquire(key, budget, 100, 'small')).status).toBe('admitted');
    expect((await a.acquire(key, budget, 500, 'head')).status).toBe('admitted');
  });

  it('a waiter that stops asking loses its place after waiterTtlMs', async () => {
    const a = admission({ waiterTtlMs: 5000 });
    const budget = { tpm: 1000 };
    await admitted(a, budget, 900, 'first');
    await a.acquire(key, budget, 900, 'gone');
    clock += 6000; // +100 -> 200
    expect((await a.acquire(key, budget, 150, 'next')).status).toBe('admitted');
  });

  it('a throttle lowers the learned concurrency for every host; successes raise it again', async () => {
    const a = admission();
    const hostB = createAdmission({ redis, keyPrefix: prefixes.at(-1) as string, now: () => clock });
    const leases = [];
    for (let i = 0; i < 10; i++) leases.push(await admitted(a, {}, 10, `t${i}`));
    await a.settle(leases.pop() as Lease, {}, { usedTokens: 0, outcome: 'throttled' });
    let [s] = await a.status([key]);
    expect(s?.learnedConcurrency).toBe(7);
    expect(s?.throttlesLastMinute).toBe(1);
    // Another host, same key: 9 in flight > 7 -> it waits.
    expect(await hostB.acquire(key, {}, 10, 'other')).toMatchObject({ status: 'wait', reason: 'concurrency' });
    for (const l of leases.splice(0, 3)) await hostB.settle(l, {}, { usedTokens: 10, outcome: 'ok' });
    expect((await hostB.acquire(key, {}, 10, 'other')).status).toBe('admitted');
    [s] = await a.status([key]);
    expect(s?.learnedConcurrency).toBeGreaterThanOrEqual(7);
  });

  it("a crashed host's lease expires on its own", async () => {
    const a = admission({ leaseTtlMs: 5000 });
    const lease = await admitted(a, { tpm: 1000 }, 300, 'a');
    await a.renew([lease]);
    clock += 5500;
    const [s] = await a.status([key]);
    expect(s?.inFlight).toBe(0);
    expect(s?.reservedTokens).toBe(0); // already, before any call sweeps the expired lease
    await a.acquire(key, { tpm: 1000 }, 1, 'b'); // any call sweeps
    const [after] = await a.status([key]);
    expect(after?.totals.leasesExpired).toBe(1);
    expect(after?.reservedTokens).toBe(1);
  });

  it('the daily quota and a reservation larger than the minute quota are refused outright', async () => {
    const a = admission();
    await admitted(a, { tokensPerDay: 1000 }, 600, 'a');
    const r = await a.acquire(key, { tokensPerDay: 1000 }, 600, 'b');
    expect(r.status).toBe('daily');
    expect(await a.acquire(key, { tpm: 500 }, 600, 'c')).toEqual({ status: 'too_large', tpm: 500 });
  });

  it('50 hosts asking at once: exactly the budget is admitted', async () => {
    const a = admission();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => a.acquire(key, { rpm: 10 }, 5, `c${i}`)));
    expect(replies.filter((r) => r.status === 'admitted')).toHaveLength(10);
    expect(
      replies
        .filter((r) => r.status === 'wait')
        .map((r) => r.status === 'wait' && r.position)
        .sort((x, y) => Number(x) - Number(y)),
    ).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
