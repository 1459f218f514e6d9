import { inspectRequestShape } from './inspect-request-shape.ts';
import { issueToTurnError } from './issue-to-turn-error.ts';
import { TurnError } from './turn-error.ts';
import { turnRequestSchema, type TurnRequest } from './turn-request-schema.ts';

/** The outcome of `parseTurnRequest`. */
export type ParseTurnRequestResult = { ok: true; value: TurnRequest } | { ok: false; error: TurnError };

/**
 * Validates an untrusted turn request (already JSON-decoded). Checks size, node count,
 * nesting and `__proto__` keys first (without recursion), then the strict schema with all
 * `limits`. Never throws: every failure is `{ok: false, error}` with a `TurnError` whose
 * `field` names the offending value, code `invalid_request` or `payload_too_large`.
 */
export function parseTurnRequest(input: unknown): ParseTurnRequestResult {
  try {
    const shapeError = inspectRequestShape(input);
    if (shapeError !== undefined) return { ok: false, error: shapeError };
    const result = turnRequestSchema.safeParse(input);
    if (result.success) return { ok: true, value: result.data };
    return { ok: false, error: issueToTurnError(result.error.issues) };
  } catch (err) {
    return { ok: false, error: new TurnError('invalid_request', 'The request could not be read.', { cause: err }) };
  }
}
