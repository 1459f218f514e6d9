import { describe, expect, it } from 'vitest';
import { judgeReport } from '../judge-report.ts';
import { runClusterFailover } from './cluster-failover.ts';

describe('chaos 10: Redis Cluster master failover while turns stream (quick form)', () => {
  it('CLUSTER FAILOVER and kill -9 of a master: every accepted turn ends exactly once, gapless; live subscribers get every event once', async () => {
    // runClusterFailover stops the cluster and every process it started in its own finally, also on failure.
    const r = await runClusterFailover({
      turnsPerPhase: 12,
      followed: 3,
      tokens: 120,
      tokensPerSecond: 30,
      workers: 2,
      leadMs: 1000,
      probeWindowMs: 5000,
      settleMs: 40_000,
    });
    console.log(`chaos 10 quick form: ${JSON.stringify(r)}`);
    expect(judgeReport(10, r as unknown as Record<string, unknown>)).toEqual([]);
    expect(r.lost).toBe(0);
    expect(r.unclean).toBe(0);
    expect(r.completed + Object.values(r.failed).reduce((a, b) => a + b, 0)).toBe(r.accepted);
    expect(r.phases.map((p) => p.mode)).toEqual(['failover', 'kill']);
    for (const p of r.phases) expect(p.writeStallMs.n, `${p.mode}: turns streaming on the master at the failover`).toBeGreaterThan(0);
    expect(r.followedTurns).toBeGreaterThan(0);
    expect([r.gaps, r.duplicates, r.mismatched]).toEqual([0, 0, 0]);
  }, 180_000);
});
