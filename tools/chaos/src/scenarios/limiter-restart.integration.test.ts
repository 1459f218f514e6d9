import { describe, expect, it } from 'vitest';
import { judgeReport } from '../judge-report.ts';
import { runLimiterRestart } from './limiter-restart.ts';

describe("chaos 9: the limiter's Redis restarts under load (quick form: one 3 s restart)", () => {
  it('every accepted turn ends exactly once, the limiter holds nothing afterwards and admits new turns', async () => {
    const r = await runLimiterRestart({ restartsSec: [3], turnsPerRestart: 8, tokens: 45, settleMs: 45_000 });
    console.log(`limiter restart: ${JSON.stringify(r)}`);
    expect(r.restarts[0]?.atStop.inFlight).toBeGreaterThan(0); // the restart hit admitted calls
    expect(r.waitedTurns).toBeGreaterThan(0); // and turns waiting for admission
    expect(r.lost).toBe(0);
    expect(r.unclean).toBe(0);
    expect(r.samples).toEqual([]);
    expect(r.completed + Object.values(r.failed).reduce((a, b) => a + b, 0)).toBe(r.accepted);
    expect(r.probeCompleted).toBe(true);
    expect(r.budgetAfter).toEqual({ inFlight: 0, reservedTokens: 0, waiting: 0 });
    expect(judgeReport(9, { ...r })).toEqual([]);
  }, 120_000);
});
