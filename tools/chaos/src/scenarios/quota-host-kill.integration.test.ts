import { describe, expect, it } from 'vitest';
import { startQuotaPool } from '../pool/start-quota-pool.ts';
import { sleep } from '../stats.ts';
import type { LoggedEvent } from '../check-turn-log.ts';
import { pidOf } from './host-crashes.ts';
import { tallyTurns } from './tally-turns.ts';

const pidIn = (e: LoggedEvent | undefined) => pidOf((e as { worker?: unknown } | undefined)?.worker);

// A host killed mid-turn never settles its leases: they must expire after leaseTtlMs (the
// shortest the config allows, 5 s), its turns must finish on the other host, and the budget
// must admit new turns afterwards.
describe('fleet-wide admission: kill -9 of a worker host while it runs admitted turns', () => {
  it("the killed host's leases expire, its turns finish on the other host, new turns are admitted, nothing stays reserved", async () => {
    // 30 000 TPM: the six turns' reservations (~4.1k each: the default 4096 maxTokens + input) fit at once.
    const pool = await startQuotaPool({ workers: 2, quota: { tpm: 30_000 }, leaseTtlMs: 5000 });
    try {
      const text = (tag: string, i: number) => `quota kill ${tag} ${i} [[tokens 90]] [[tokens-per-second 30]]`;
      const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.submit(text('a', i))));
      // Wait until every turn is streaming text (each streams ~3 s), then kill the host running the most.
      const startedOn = new Map<string, string>();
      for (let n = 0; n < 100 && startedOn.size < ids.length; n++) {
        for (const id of ids) {
          const log = await pool.readLog(id);
          const pid = pidIn(log.find((e) => e.type === 'turn-start'));
          if (pid && log.some((e) => e.type === 'text-delta')) startedOn.set(id, pid);
        }
        if (startedOn.size < ids.length) await sleep(100);
      }
      expect(startedOn.size).toBe(ids.length);
      const slots = pool.hosts.map((h) => String(h?.child.pid));
      const perSlot = slots.map((pid) => [...startedOn.values()].filter((p) => p === pid).length);
      const slot = perSlot[1] !== undefined && perSlot[1] > (perSlot[0] ?? 0) ? 1 : 0;
      const killedPid = slots[slot];
      const onKilled = ids.filter((id) => startedOn.get(id) === killedPid);
      expect(onKilled.length).toBeGreaterThan(0);
      expect((await pool.quotaStatus())?.inFlight).toBe(ids.length);

      await pool.stopHost(slot, 'SIGKILL');
      // Its leases are still counted until they expire (no host renews or settles them).
      expect((await pool.quotaStatus())?.inFlight).toBeGreaterThanOrEqual(onKilled.length);

      expect(await pool.waitForTerminal(ids, 40_000)).toEqual([]);
      const first = await tallyTurns(pool, ids);
      expect(first.tally).toMatchObject({ completed: ids.length, lost: 0, unclean: 0 });
      // BullMQ's stall recovery moved the killed host's turns to the other host (a turn-retry, a new attempt there).
      for (const id of onKilled) {
        const log = first.logs.get(id) ?? [];
        const starts = log.filter((e) => e.type === 'turn-start').map(pidIn);
        expect(starts.at(0)).toBe(killedPid);
        expect(starts.at(-1)).not.toBe(killedPid);
        expect(first.verdicts.get(id)?.retries).toBeGreaterThanOrEqual(1);
      }

      // The budget is usable again: new turns are admitted and run on the surviving host.
      const later = await Promise.all(Array.from({ length: 3 }, (_, i) => pool.submit(text('b', i))));
      expect(await pool.waitForTerminal(later, 30_000)).toEqual([]);
      const second = await tallyTurns(pool, later);
      expect(second.tally).toMatchObject({ completed: later.length, lost: 0, unclean: 0 });

      const status = await pool.quotaStatus();
      const attempts = [...first.logs.values(), ...second.logs.values()].flat().filter((e) => e.type === 'turn-start').length;
      expect(status).toMatchObject({ inFlight: 0, reservedTokens: 0, waiting: 0 });
      // Every attempt was admitted once; each killed attempt's lease expired instead of being settled.
      expect(status?.totals).toMatchObject({ admitted: attempts, leasesExpired: onKilled.length, throttled: 0 });
      // Every attempt called Bedrock (the killed ones mid-stream), and admission kept the account from throttling any.
      expect(pool.emulatorCalls()).toEqual({ admitted: attempts, throttled: 0 });
      console.log(
        `quota host kill: ${onKilled.length} of ${ids.length} turns on the killed host; status ${JSON.stringify(status)}; emulator ${JSON.stringify(pool.emulatorCalls())}`,
      );
    } finally {
      await pool.close();
    }
  }, 90_000);
});
