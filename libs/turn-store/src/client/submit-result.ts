/** What `submitTurn` answers. */
export interface SubmitResult {
  turnId: string;
  /** False when the same Idempotency-Key / turnId was submitted before with the same request. */
  created: boolean;
}
