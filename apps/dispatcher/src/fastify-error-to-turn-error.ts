import { TurnError } from '@turnpool/protocol';

/**
 * Fastify's own request errors (body too large, wrong media type, JSON that does not parse) as
 * `TurnError`s naming the part at fault; anything else is returned unchanged.
 */
export function fastifyErrorToTurnError(err: Error & { statusCode?: number; code?: string }, bodyLimit: number): unknown {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new TurnError('payload_too_large', `The request body is larger than ${bodyLimit} bytes.`, { field: 'body' });
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new TurnError('invalid_request', 'Send the request as application/json.', { field: 'content-type' });
  }
  if (err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError || err.statusCode === 400) {
    return new TurnError('invalid_request', `The request body is not valid JSON: ${err.message.slice(0, 200)}`, { field: 'body' });
  }
  return err;
}
