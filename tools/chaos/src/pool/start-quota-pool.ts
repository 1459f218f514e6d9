import { createAdmission, quotaKeyOf, type QuotaBudget, type QuotaStatus } from '@turnpool/quota';
import { chaosModel, startPool, type ChaosPool, type PoolOptions } from './start-pool.ts';

/** The chaos model's id as Bedrock and the emulator's quota table name it. */
export const chaosModelId = chaosModel.replace(/^amazon-bedrock\//, '');

export interface QuotaPoolOptions extends Omit<PoolOptions, 'config' | 'redisUrl'> {
  /** The account's quota for the chaos model: the emulator enforces it; hosts admit against it unless `learned`. */
  quota: { rpm?: number; tpm?: number };
  /** Hosts get no `bedrock.quotas` entry and learn the limit from throttles. @defaultValue false */
  learned?: boolean;
  /** `bedrock.admission.leaseTtlMs` (min 5000): how soon a killed host's leases expire. @defaultValue 5000 */
  leaseTtlMs?: number;
}

/** A chaos pool with fleet-wide admission on, and what it shows about the chaos model's budget. */
export interface QuotaPool extends ChaosPool {
  quotaKey: string;
  /** The admission state of the chaos model's key, as `turnpool quotas` reads it. */
  quotaStatus(): Promise<QuotaStatus | undefined>;
  /** Calls the emulator admitted / throttled (RPM + TPM) for the chaos model so far. */
  emulatorCalls(): { admitted: number; throttled: number };
}

/** startPool with an account quota in the emulator and admission on in every host (config `bedrock.quotas` / `bedrock.admission`). */
export async function startQuotaPool(o: QuotaPoolOptions): Promise<QuotaPool> {
  const budget: QuotaBudget = { ...o.quota };
  const pool = await startPool({
    ...o,
    emulator: { ...o.emulator, quotas: { [chaosModelId]: { ...o.quota } } },
    config: {
      pool: { maxThreads: 1 },
      bedrock: { admission: { enabled: true, leaseTtlMs: o.leaseTtlMs ?? 5000 }, quotas: o.learned ? {} : { [chaosModelId]: budget } },
    },
  });
  const quotaKey = quotaKeyOf('us-east-1', chaosModelId);
  const control = createAdmission({ redis: pool.redis, keyPrefix: pool.prefix });
  return {
    ...pool,
    quotaKey,
    quotaStatus: async () => (await control.status([quotaKey]))[0],
    emulatorCalls() {
      const s = pool.emulator.stats().quotas[chaosModelId];
      return { admitted: s?.admitted ?? 0, throttled: (s?.throttled.rpm ?? 0) + (s?.throttled.tpm ?? 0) };
    },
  };
}
