import { describe, expect, it } from 'vitest';
import { queueAttempts, runBedrockStorms } from './bedrock-storms.ts';

describe('chaos 3: Bedrock storms (30 % faults, in-stream exceptions, stalls; quick form)', () => {
  it('every turn ends in success or the right code, within the retry budget, with no retry storm', async () => {
    const r = await runBedrockStorms({ plainTurns: 30, exceptionTurns: 4, stallTurns: 3, settleMs: 60_000 });
    expect(r.lost).toBe(0);
    expect(r.unclean).toBe(0);
    expect(r.plain.wrongCode).toBe(0);
    expect(r.exceptions.wrongCode).toBe(0);
    expect(r.stalls.wrongCode).toBe(0);
    expect(r.plain.completed).toBeGreaterThan(r.plain.turns / 2);
    expect(r.faultsInjected).toBeGreaterThan(0);
    expect(r.maxAttempts).toBeLessThanOrEqual(queueAttempts);
    expect(r.converseStreamCalls).toBeLessThanOrEqual(r.callBudget);
  }, 150_000);
});
