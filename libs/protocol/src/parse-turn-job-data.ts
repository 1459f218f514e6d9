import { inspectRequestShape } from './inspect-request-shape.ts';
import { issueToTurnError } from './issue-to-turn-error.ts';
import { TurnError } from './turn-error.ts';
import type { TurnJobData } from './turn-job-data.ts';
import { turnJobDataSchema } from './turn-job-data-schema.ts';

/**
 * Validates a dequeued job payload (it came through Redis, so it is checked like any input).
 * Never throws; a failure is an `invalid_request` / `payload_too_large` `TurnError` naming
 * the field (`request.messages[0].role`, `model.modelId`).
 */
export function parseTurnJobData(input: unknown): { ok: true; value: TurnJobData } | { ok: false; error: TurnError } {
  try {
    const shapeError = inspectRequestShape(input);
    if (shapeError !== undefined) return { ok: false, error: shapeError };
    const result = turnJobDataSchema.safeParse(input);
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, error: issueToTurnError(result.error.issues) };
  } catch (err) {
    return { ok: false, error: new TurnError('invalid_request', 'The job data could not be read.', { cause: err }) };
  }
}
