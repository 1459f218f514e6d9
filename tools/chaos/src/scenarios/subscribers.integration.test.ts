import { describe, expect, it } from 'vitest';
import { runSubscribers } from './subscribers.ts';

describe('chaos 5: subscribers disconnect and resume with Last-Event-ID while turns stream (quick form)', () => {
  it('150 random reconnects: 0 gaps, 0 duplicates, identical to the stream in Redis', async () => {
    const r = await runSubscribers({ turns: 6, reconnects: 150, tokens: 300, tokensPerSecond: 80, settleMs: 60_000 });
    expect(r.reconnects).toBe(150);
    expect(r.byHeader).toBeGreaterThan(0);
    expect(r.gaps).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.mismatched).toBe(0);
    expect(r.lost).toBe(0);
    expect(r.unclean).toBe(0);
  }, 150_000);
});
