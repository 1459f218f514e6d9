import type { TurnErrorData } from './turn-error-data.ts';

/** The JSON body of every error answer of the HTTP API: `{ error: { code, message, retryable, field? } }`. */
export interface ApiErrorBody {
  error: TurnErrorData;
}
