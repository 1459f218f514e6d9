import type { QuotaStatus } from '@turnpool/quota';
import { startQuotaPool } from '../pool/start-quota-pool.ts';
import { sleep } from '../stats.ts';
import { tallyTurns, type TurnTally } from './tally-turns.ts';

export interface LimiterRestartOptions {
  /** Redis restarts, in order: how long Redis stays down each time (s). @defaultValue [5] */
  restartsSec?: number[];
  /** Turns submitted at once before each restart; more than the quota admits at once, so some wait. @defaultValue 16 */
  turnsPerRestart?: number;
  /** Account TPM of the chaos model (emulator and hosts); each turn reserves ~4.1k (the default maxTokens 4096 + input). @defaultValue 20000 */
  tpm?: number;
  /** Output tokens and pacing of each turn. @defaultValue 90, 30 (~3 s) */
  tokens?: number;
  tokensPerSecond?: number;
  /** `bedrock.admission.leaseTtlMs`. @defaultValue 5000 */
  leaseTtlMs?: number;
  /** Time from the submits to the stop. @defaultValue 1500 */
  stopAfterMs?: number;
  settleMs?: number;
}

/** The limiter's state at one moment: what is held and who waits. */
type Held = Pick<QuotaStatus, 'inFlight' | 'reservedTokens' | 'waiting'>;

export interface LimiterRestartReport extends TurnTally {
  restarts: { seconds: number; atStop: Held }[];
  /** Accepted turns that waited for admission at least once. */
  waitedTurns: number;
  /** Calls the emulator (the account) admitted and throttled. */
  emulatorAdmitted: number;
  emulatorThrottled: number;
  /** A turn submitted after the last restart once the leases settled or expired: the budget is usable. */
  probeCompleted: boolean;
  /** The limiter after the run: must hold nothing. */
  budgetAfter: Held;
  /** Running totals of the limiter (admitted, waited, throttled, expired leases). */
  totals: QuotaStatus['totals'] | null;
  durationMs: number;
}

const held = (s: QuotaStatus | undefined): Held => ({
  inFlight: s?.inFlight ?? -1,
  reservedTokens: s?.reservedTokens ?? -1,
  waiting: s?.waiting ?? -1,
});

/**
 * Scenario 9: the Redis that holds the admission state (and the queue; AOF on) restarts while
 * turns stream from two worker hosts with admission on and the account's TPM quota in the
 * emulator and the hosts. Every accepted turn must end exactly once; afterwards the limiter
 * holds nothing (no call in flight, no reserved tokens, nobody waiting) and admits new turns.
 */
export async function runLimiterRestart(o: LimiterRestartOptions = {}): Promise<LimiterRestartReport> {
  const started = Date.now();
  const leaseTtlMs = o.leaseTtlMs ?? 5000;
  const pool = await startQuotaPool({ workers: 2, quota: { tpm: o.tpm ?? 20_000 }, leaseTtlMs });
  try {
    const text = (tag: string) => `limiter restart ${tag} [[tokens ${o.tokens ?? 90}]] [[tokens-per-second ${o.tokensPerSecond ?? 30}]]`;
    const accepted: string[] = [];
    const restarts: LimiterRestartReport['restarts'] = [];
    for (const seconds of o.restartsSec ?? [5]) {
      const batch = await Promise.all(Array.from({ length: o.turnsPerRestart ?? 16 }, (_, i) => pool.submit(text(`${seconds}-${i}`))));
      accepted.push(...batch);
      await sleep(o.stopAfterMs ?? 1500);
      const atStop = held(await pool.quotaStatus());
      await pool.server.stop(false);
      await sleep(seconds * 1000);
      await pool.server.start();
      restarts.push({ seconds, atStop });
      const open = await pool.waitForTerminal(batch, o.settleMs ?? 90_000);
      if (open.length > 0) break; // counted as lost below
    }
    // Leases whose settle was lost with Redis expire after leaseTtlMs; then a new turn must be admitted.
    for (let n = 0; n < 100 && ((await pool.quotaStatus())?.inFlight ?? 0) > 0; n++) await sleep(Math.ceil(leaseTtlMs / 20));
    const probe = await pool.submit(text('probe'));
    accepted.push(probe);
    const probeOpen = await pool.waitForTerminal([probe], 30_000);
    const { tally, logs } = await tallyTurns(pool, accepted);
    const status = await pool.quotaStatus();
    const calls = pool.emulatorCalls();
    return {
      ...tally,
      restarts,
      waitedTurns: [...logs.values()].filter((log) => log.some((e) => e.type === 'turn-waiting')).length,
      emulatorAdmitted: calls.admitted,
      emulatorThrottled: calls.throttled,
      probeCompleted: probeOpen.length === 0 && logs.get(probe)?.at(-1)?.type === 'turn-end',
      budgetAfter: held(status),
      totals: status?.totals ?? null,
      durationMs: Date.now() - started,
    };
  } finally {
    await pool.close();
  }
}
