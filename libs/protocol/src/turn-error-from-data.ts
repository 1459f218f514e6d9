import { isErrorCode } from './error-codes.ts';
import { TurnError } from './turn-error.ts';

/**
 * Rebuilds a `TurnError` from its plain form (after `postMessage`, Redis or HTTP). Lenient:
 * an unknown code becomes `internal` (the original code is kept in `details.code`), a missing
 * message takes the catalogue default, a missing `retryable` the catalogue's value. Never throws.
 */
export function turnErrorFromData(data: unknown): TurnError {
  if (data instanceof TurnError) return data;
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const code = isErrorCode(d['code']) ? d['code'] : 'internal';
  const message = typeof d['message'] === 'string' && d['message'] !== '' ? d['message'] : undefined;
  const retryable = typeof d['retryable'] === 'boolean' ? d['retryable'] : undefined;
  const field = typeof d['field'] === 'string' ? d['field'] : undefined;
  const details = code !== d['code'] && d['code'] !== undefined ? { code: String(d['code']) } : undefined;
  return new TurnError(code, message, {
    ...(retryable === undefined ? {} : { retryable }),
    ...(field === undefined ? {} : { field }),
    ...(details === undefined ? {} : { details }),
  });
}
