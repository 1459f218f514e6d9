/** One quota key as `turnpool quotas` and `GET /v1/quotas` show it. */
export interface QuotaStatus {
  /** `<region>/<model or profile id>`. */
  quotaKey: string;
  /** The budget hosts last admitted against (from config `bedrock.quotas`); {} = none configured. */
  configured: { rpm?: number; tpm?: number; tokensPerDay?: number };
  /** Concurrency the fleet learned from throttles (AIMD); null = no throttle seen, unbounded. */
  learnedConcurrency: number | null;
  /** What the buckets hold now; null where no budget is configured. */
  available: { requests: number | null; tokens: number | null };
  /** Calls admitted and not yet settled. */
  inFlight: number;
  /** Tokens those calls reserved (input + maxTokens). */
  reservedTokens: number;
  /** Turns in this key's line. */
  waiting: number;
  /** Throttles reported by hosts in the last 60 s. */
  throttlesLastMinute: number;
  /** Tokens counted today (UTC), as the daily quota counts them. */
  tokensToday: number;
  /** Counters since the key was first seen. */
  totals: { admitted: number; waited: number; throttled: number; leasesExpired: number; dailyRefused: number };
}
