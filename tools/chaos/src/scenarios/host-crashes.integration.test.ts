import { describe, expect, it } from 'vitest';
import { runHostCrashes } from './host-crashes.ts';

describe('chaos 1: kill -9 of worker hosts while turns are in flight (quick form)', () => {
  it('every accepted turn ends exactly once with a gapless log; turns on killed hosts resume', async () => {
    const r = await runHostCrashes({ turns: 24, kills: 2, killEveryMs: 2500, tokens: 120, tokensPerSecond: 30, settleMs: 60_000 });
    expect(r.lost).toBe(0);
    expect(r.unclean).toBe(0);
    expect(r.completed + Object.values(r.failed).reduce((a, b) => a + b, 0)).toBe(r.accepted);
    expect(r.kills).toBe(2);
    expect(r.resumed).toBeGreaterThan(0);
    expect(r.retries).toBeGreaterThanOrEqual(r.resumed);
  }, 150_000);
});
