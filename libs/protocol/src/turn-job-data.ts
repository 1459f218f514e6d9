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
}
