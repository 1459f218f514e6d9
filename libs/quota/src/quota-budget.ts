/**
 * What an account may spend on one quota key (a model or inference profile in one region), as
 * Bedrock counts it: requests and tokens per minute, tokens per day. Absent = not configured: the
 * key is then bounded only by what the fleet learns from throttles.
 */
export interface QuotaBudget {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens per minute: input (incl. cache reads/writes) + output × `outputBurndown`. */
  tpm?: number;
  /** Tokens per day, counted like `tpm`. Bedrock's default is tpm × 1440. */
  tokensPerDay?: number;
  /** Weight of an output token against the quota (Bedrock burns some models' output faster). @defaultValue 1 */
  outputBurndown?: number;
}

/** The quota key of a call: Bedrock budgets per region and per model or inference profile id. */
export function quotaKeyOf(region: string, modelId: string): string {
  return `${region}/${modelId}`;
}
