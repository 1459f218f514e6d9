import type { TurnErrorData } from '@turnpool/protocol';
import { toApiError } from '../../api-error.ts';

/** OpenAI's error `type` for a status (its client picks the error class from the status). */
function errorType(status: number, code: string): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return code === 'model_not_found' ? 'invalid_request_error' : 'not_found_error';
  if (status === 429) return code === 'quota_exceeded' ? 'insufficient_quota' : 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** OpenAI's error body `{error: {message, type, param, code}}` for turnpool's error data. */
export function openAiErrorBody(e: TurnErrorData, status: number) {
  return { error: { message: e.message, type: errorType(status, e.code), param: e.field ?? null, code: e.code } };
}

/** Status and OpenAI-shaped body for anything thrown (unknown errors stay `internal`, without their text). */
export function toOpenAiError(err: unknown): { status: number; body: ReturnType<typeof openAiErrorBody>; retryable: boolean } {
  const { status, body } = toApiError(err);
  return { status, body: openAiErrorBody(body.error, status), retryable: body.error.retryable };
}
