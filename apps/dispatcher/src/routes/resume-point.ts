import type { FastifyRequest } from 'fastify';
import { TurnError } from '@turnpool/protocol';
import { parseLastEventId } from '@turnpool/turn-store';

/** Where an SSE client resumes: `Last-Event-ID` (what browsers send on reconnect), else `?after=`. */
export function resumePoint(req: FastifyRequest): number {
  const fromHeader = parseLastEventId(req.headers['last-event-id']);
  if (fromHeader !== undefined) return fromHeader;
  const after = (req.query as { after?: unknown }).after;
  if (after === undefined) return 0;
  try {
    return parseLastEventId(typeof after === 'string' ? after : String(after)) ?? 0;
  } catch {
    throw new TurnError('invalid_request', 'after must be a non-negative integer.', { field: 'after' });
  }
}
