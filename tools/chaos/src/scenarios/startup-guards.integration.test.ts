import { describe, expect, it } from 'vitest';
import { runStartupGuards } from './startup-guards.ts';

describe('chaos 8: startup guards', () => {
  it('refuses an evicting Redis and a slot-splitting key prefix, in processes and in-process, with a clear error', async () => {
    const r = await runStartupGuards();
    expect(r.cases).toHaveLength(7);
    for (const c of r.cases)
      expect({ name: c.name, refused: c.refused, outcome: c.outcome }).toMatchObject({ name: c.name, refused: true });
  }, 120_000);
});
