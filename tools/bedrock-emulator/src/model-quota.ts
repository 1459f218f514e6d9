/**
 * The account quotas of one model id or inference profile id, as Bedrock applies them: in every region
 * separately, on-demand (model id) and cross-region (profile id) budgets apart. Omitted limits do not bind.
 */
export interface ModelQuota {
  /** Requests per minute: a bucket of `rpm` requests refilled at rpm/60 per second. @defaultValue no limit */
  rpm?: number;
  /**
   * Tokens per minute: a bucket of `tpm` tokens refilled at tpm/60 per second. A call reserves
   * input + cache read + cache write + maxTokens (the model's max output when unset) at its start and
   * settles to input + cache write + output × burndown at its end. @defaultValue no limit
   */
  tpm?: number;
  /**
   * Tokens per day, counted like `tpm`: a bucket of `tpd` tokens refilled at tpd/86400 per second (a rolling
   * day, not a calendar day). @defaultValue no limit (Bedrock's default, tpm × 1440, never binds before tpm)
   */
  tpd?: number;
  /** What one output token costs against tpm/tpd (AWS lists 5 for recent Claude models). @defaultValue 1 */
  burndown?: number;
}

/** Which limit refused a call. */
export type ThrottleReason = 'rpm' | 'tpm' | 'daily';
