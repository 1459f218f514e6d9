import { TurnError } from '@turnpool/protocol';

/** A 400 `invalid_request` naming the field in the client's own API (`messages[2].tool_calls[0].function.arguments`). */
export function invalidField(field: string, message: string): TurnError {
  return new TurnError('invalid_request', `${field}: ${message}`, { field });
}
