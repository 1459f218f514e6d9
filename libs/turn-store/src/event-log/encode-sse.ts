import { TurnStreamError } from './turn-stream-error.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

const typePattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One Server-Sent Events frame: `id: <seq>\nevent: <type>\ndata: <json>\n\n`. JSON.stringify
 * escapes every CR and LF inside strings, so the data line can never end early; `type` and
 * `seq` are checked because they are written raw. `<`, `>`, `&`, U+2028 and U+2029 are
 * escaped too, so a frame is also safe to inline in HTML or a script.
 */
export function encodeSse(event: TurnStreamEvent): string {
  if (typeof event !== 'object' || event === null)
    throw new TurnStreamError('invalid_event', 'event must be an object', { field: 'event' });
  if (typeof event.type !== 'string' || !typePattern.test(event.type)) {
    throw new TurnStreamError('invalid_event', 'event type must be 1-64 characters [A-Za-z0-9._-]', { field: 'type' });
  }
  if (!Number.isSafeInteger(event.seq) || event.seq < 0) {
    throw new TurnStreamError('invalid_event', 'event seq must be a non-negative integer', { field: 'seq' });
  }
  const data = JSON.stringify(event).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${data}\n\n`;
}
