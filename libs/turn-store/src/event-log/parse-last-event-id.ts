import { TurnStreamError } from './turn-stream-error.ts';
import { describe } from './validate-options.ts';

/**
 * The `after` of a resuming SSE client: `undefined` when there is no `Last-Event-ID` header,
 * else its value, which must be the decimal seq this library wrote (`0` or `[1-9][0-9]*`, at
 * most Number.MAX_SAFE_INTEGER). Anything else — signs, spaces, exponents, repeated headers —
 * throws `TurnStreamError('invalid_last_event_id')` naming the header.
 */
export function parseLastEventId(header: string | readonly string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string') {
    throw new TurnStreamError('invalid_last_event_id', 'Last-Event-ID must be sent once', { field: 'Last-Event-ID' });
  }
  const n = /^(0|[1-9][0-9]{0,15})$/.test(header) ? Number(header) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new TurnStreamError(
      'invalid_last_event_id',
      `Last-Event-ID must be a non-negative integer up to ${Number.MAX_SAFE_INTEGER}, got ${describe(header)}`,
      { field: 'Last-Event-ID' },
    );
  }
  return n;
}
