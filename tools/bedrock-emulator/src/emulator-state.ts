import type { Catalog } from './catalog.ts';
import type { ResolvedEmulatorOptions } from './emulator-options.ts';
import type { EmulatorStats } from './emulator-stats.ts';
import type { QuotaBuckets } from './quota-buckets.ts';

/** Everything a request handler reads or counts; one per running emulator. */
export interface EmulatorState {
  options: ResolvedEmulatorOptions;
  catalog: Catalog;
  stats: EmulatorStats;
  /** Random source for `faultRate` and padding (seeded by `options.seed`). */
  random: () => number;
  /** Attempts seen per invocation key, for `[[fail-first N]]` when no `amz-sdk-request` header says it. */
  attempts: Map<string, number>;
  /** RPM/TPM/daily buckets of `options.quotas`, per region and key. */
  quotaBuckets: QuotaBuckets;
  /** Aborts every open stream (close()). */
  streams: Set<() => void>;
}
