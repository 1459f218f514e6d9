import type { TurnErrorData } from '@turnpool/protocol';
import { toApiError } from '../../api-error.ts';

/** Anthropic's error `type` for a status (its client picks the error class from the status). */
function errorType(status: number): string {
  switch (status) {
    case 400:
    case 409:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/**
 * Anthropic's error body `{type: "error", error: {type, message}}`. The shape has no field
 * member, so the message starts with the field's path (`max_tokens: is required`).
 */
export function anthropicErrorBody(e: TurnErrorData, status: number) {
  const message = e.field !== undefined && !e.message.startsWith(`${e.field}:`) ? `${e.field}: ${e.message}` : e.message;
  return { type: 'error' as const, error: { type: errorType(status), message } };
}

/** Status and Anthropic-shaped body for anything thrown (unknown errors stay `internal`, without their text). */
export function toAnthropicError(err: unknown): { status: number; body: ReturnType<typeof anthropicErrorBody>; retryable: boolean } {
  const { status, body } = toApiError(err);
  return { status, body: anthropicErrorBody(body.error, status), retryable: body.error.retryable };
}
