import { createHash, randomUUID } from 'node:crypto';
import { TurnError, limits } from '@turnpool/protocol';

/**
 * The turn id (= BullMQ job id): the request's `turnId`, else one derived from the
 * Idempotency-Key (hashed, so any printable key works and none leaks into key names), else
 * a random UUID. Both given and disagreeing is an error.
 */
export function deriveTurnId(requestTurnId: string | undefined, idempotencyKey: string | undefined): string {
  let fromKey: string | undefined;
  if (idempotencyKey !== undefined) {
    if (
      typeof idempotencyKey !== 'string' ||
      idempotencyKey.length === 0 ||
      idempotencyKey.length > 256 ||
      !/^[\x21-\x7e]+$/.test(idempotencyKey)
    ) {
      throw new TurnError('invalid_request', 'Idempotency-Key must be 1-256 printable ASCII characters without spaces.', {
        field: 'Idempotency-Key',
      });
    }
    fromKey = `idem-${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32)}`;
  }
  if (requestTurnId !== undefined && fromKey !== undefined) {
    throw new TurnError('invalid_request', 'Send either an Idempotency-Key header or a turnId in the body, not both.', { field: 'turnId' });
  }
  const id = requestTurnId ?? fromKey ?? randomUUID();
  if (id.length > limits.maxTurnIdChars) throw new TurnError('invalid_request', 'turnId is too long.', { field: 'turnId' });
  return id;
}
