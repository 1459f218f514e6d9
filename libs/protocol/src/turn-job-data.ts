import type { ResolvedModel } from './resolved-model.ts';
import type { TurnRequest } from './turn-request-schema.ts';

/** The BullMQ job payload of a turn (job name `turn`, job id = turnId). Never holds credentials. */
export interface TurnJobData {
  /** The turn id (also the job id). */
  turnId: string;
  /** The validated request. */
  request: TurnRequest;
  /** The model, resolved by the dispatcher. */
  model: ResolvedModel;
  /** When the dispatcher accepted the turn (epoch ms). */
  submittedAt: number;
  /** Hash of the validated request, so a repeated Idempotency-Key with a different body is refused. */
  fingerprint?: string;
  /** Resolved fallback models, in order (only those that take the turn's input kinds and fit its context). */
  fallbacks?: ResolvedModel[];
  /** Longest wait for admission, ms (the request's, else the dispatcher's config). */
  maxWaitMs?: number;
  /** Worker-side progress, kept in the job across waits: which model (0 = `model`), when waiting began. */
  admission?: { modelIndex: number; waitingSince?: number; announced?: boolean };
}
