import { createHash } from 'node:crypto';
import type { TurnRequest } from '@turnpool/protocol';

/** A hash of the request as validated (turnId excluded), to tell a retried POST from a different one. */
export function requestFingerprint(request: TurnRequest): string {
  const { turnId: _turnId, ...rest } = request;
  return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 32);
}
