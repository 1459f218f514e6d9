import { describe, expect, it } from 'vitest';
import { runGracefulDeploy } from './graceful-deploy.ts';

describe('chaos 4: graceful deploy (SIGTERM to a busy worker host; quick form)', () => {
  it('its turns finish within the grace period, nothing stalls, later turns go to the other host', async () => {
    const r = await runGracefulDeploy({ busyTurns: 16, laterTurns: 8, tokens: 90, tokensPerSecond: 30, settleMs: 60_000 });
    expect(r.turnsOnStoppedHost).toBeGreaterThan(0);
    expect(r.finishedOnStoppedHost).toBe(r.turnsOnStoppedHost);
    expect(r.exitCode).toBe(0);
    expect(r.laterTurnsOnStoppedHost).toBe(0);
    expect(r.stalledRestarts).toBe(0);
    expect(r.lost).toBe(0);
    expect(r.unclean).toBe(0);
    expect(r.completed).toBe(r.accepted);
  }, 150_000);
});
