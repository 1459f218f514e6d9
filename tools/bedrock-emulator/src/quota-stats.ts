import type { ThrottleReason } from './model-quota.ts';

/** Admission counters of one quota key (the profile id a call went through, else its model id). */
export interface QuotaKeyStats {
  /** Calls let through (with or without a quota for the key). */
  admitted: number;
  /** Calls refused with ThrottlingException, by the limit that refused them. */
  throttled: Record<ThrottleReason, number>;
  /** Sum of the reservations of admitted calls (input + cache read + cache write + maxTokens). */
  tokensReserved: number;
  /** Sum of what settled calls counted (input + cache write + output × burndown; 0 for a call that failed before its first byte). */
  tokensSettled: number;
}

/** The counters of `key`, created at zero on first use. */
export function quotaStatsOf(all: Record<string, QuotaKeyStats>, key: string): QuotaKeyStats {
  if (!Object.hasOwn(all, key)) all[key] = { admitted: 0, throttled: { rpm: 0, tpm: 0, daily: 0 }, tokensReserved: 0, tokensSettled: 0 };
  return all[key] as QuotaKeyStats;
}

/** A deep copy for callers. */
export function copyQuotaStats(all: Record<string, QuotaKeyStats>): Record<string, QuotaKeyStats> {
  return Object.fromEntries(Object.entries(all).map(([k, s]) => [k, { ...s, throttled: { ...s.throttled } }]));
}
