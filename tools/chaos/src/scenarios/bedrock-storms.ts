import { startPool } from '../pool/start-pool.ts';
import { tallyTurns, type TurnTally } from './tally-turns.ts';

export interface BedrockStormOptions {
  /** Plain turns hit only by the random faults. @defaultValue 60 */
  plainTurns?: number;
  /** Turns whose every call gets an in-stream exception after a few chunks. @defaultValue 10 */
  exceptionTurns?: number;
  /** Turns whose every call stalls after a few chunks (longer than the idle timeout). @defaultValue 6 */
  stallTurns?: number;
  /** Probability of a random fault per call (throttling, 5xx, in-stream exceptions, cuts). @defaultValue 0.3 */
  faultRate?: number;
  settleMs?: number;
}

/** What a class of turns may end with. */
export interface StormClass {
  turns: number;
  completed: number;
  failed: Record<string, number>;
  /** Turns that ended with a code outside the expected set. */
  wrongCode: number;
}

export interface BedrockStormReport extends TurnTally {
  plain: StormClass;
  exceptions: StormClass;
  stalls: StormClass;
  /** ConverseStream calls the emulator saw, and the most the retry budget allows (turns x queue attempts x SDK attempts). */
  converseStreamCalls: number;
  callBudget: number;
  faultsInjected: number;
  /** Most attempts any turn used (<= queue attempts). */
  maxAttempts: number;
  durationMs: number;
}

/** Queue attempts (config queue.attempts default) and SDK attempts (libs/credentials default). */
export const queueAttempts = 3;
export const sdkAttempts = 2;
/** Codes the random faults may end a turn with once its budget is spent. */
export const stormCodes = new Set(['rate_limited', 'upstream_unavailable']);

/**
 * Scenario 3: 30 % of calls throttled or failing, in-stream exceptions after N chunks, stalls:
 * every turn ends in success or the right error code, attempts stay within the budget, and the
 * emulator sees no more calls than turns x queue attempts x SDK attempts (no retry storm).
 */
export async function runBedrockStorms(o: BedrockStormOptions = {}): Promise<BedrockStormReport> {
  const started = Date.now();
  const pool = await startPool({
    workers: 2,
    emulator: { faultRate: o.faultRate ?? 0.3 },
    config: { pool: { maxThreads: 1 }, queue: { backoffMs: 200 }, timeouts: { idleMs: 1500, firstChunkMs: 5000 } },
  });
  try {
    pool.emulator.reset();
    const submit = (kind: string, n: number, directive: string) =>
      Promise.all(Array.from({ length: n }, (_, i) => pool.submit(`storm ${kind} ${i} [[tokens 30]] ${directive}`)));
    const [plain, exceptions, stalls] = await Promise.all([
      submit('plain', o.plainTurns ?? 60, ''),
      submit('exception', o.exceptionTurns ?? 10, '[[error ModelStreamErrorException after 6]]'),
      submit('stall', o.stallTurns ?? 6, '[[stall 6 after 6]]'),
    ]);
    const all = [...plain, ...exceptions, ...stalls];
    await pool.waitForTerminal(all, o.settleMs ?? 120_000);
    const { tally, verdicts } = await tallyTurns(pool, all);
    const classify = (ids: string[], allowed: Set<string>): StormClass => {
      const out: StormClass = { turns: ids.length, completed: 0, failed: {}, wrongCode: 0 };
      for (const id of ids) {
        const v = verdicts.get(id);
        if (v?.terminal === 'turn-end') out.completed++;
        else if (v?.terminal === 'turn-error') {
          const code = v.code ?? 'unknown';
          out.failed[code] = (out.failed[code] ?? 0) + 1;
          if (!allowed.has(code)) out.wrongCode++;
        } else out.wrongCode++;
      }
      return out;
    };
    const stats = pool.emulator.stats();
    return {
      ...tally,
      plain: classify(plain, stormCodes),
      // These can never succeed: the exception / stall is in every call carrying that prompt.
      exceptions: {
        ...classify(exceptions, stormCodes),
        wrongCode: classify(exceptions, stormCodes).wrongCode + classify(exceptions, stormCodes).completed,
      },
      stalls: {
        ...classify(stalls, new Set([...stormCodes, 'idle_timeout'])),
        wrongCode: classify(stalls, new Set([...stormCodes, 'idle_timeout'])).wrongCode + classify(stalls, stormCodes).completed,
      },
      converseStreamCalls: stats.calls.ConverseStream,
      callBudget: all.length * queueAttempts * sdkAttempts,
      faultsInjected: stats.faultsInjected,
      maxAttempts: Math.max(0, ...[...verdicts.values()].map((v) => v.attempts)),
      durationMs: Date.now() - started,
    };
  } finally {
    await pool.close();
  }
}
