import { describe, expect, it } from 'vitest';
import { runRedisOutage } from './redis-outage.ts';

describe("chaos 2: the pool's Redis stops under load (quick form: one 5 s outage)", () => {
  it('503 promptly while down, /readyz red then green, workers resume, no accepted turn lost', async () => {
    const r = await runRedisOutage({ outagesSec: [5], turnsPerOutage: 10, probeEveryMs: 300, settleMs: 60_000 });
    const [o] = r.outages;
    expect(o).toBeDefined();
    if (!o) return;
    expect(o.hangs).toBe(0);
    expect(Object.keys(o.statusesDuringOutage)).toEqual(['503']);
    expect(o.readyzRed).toBe(true);
    expect(o.readyzGreenAfterMs).toBeGreaterThanOrEqual(0);
    expect(o.acceptingAfterMs).toBeGreaterThanOrEqual(0);
    expect(o.workersResumedAfterMs).toBeGreaterThanOrEqual(0);
    // The 5 s bound is a figure of the full run (judgeReport); tests assert behaviour, not durations.
    expect(r.lost).toBe(0);
    expect(r.samples).toEqual([]);
    expect(r.unclean).toBe(0);
  }, 150_000);
});
