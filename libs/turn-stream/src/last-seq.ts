import type { Redis } from 'ioredis';
import { redisKeys, type TurnEvent } from '@turnpool/protocol';
import type { TurnStreamEvent } from './turn-stream-event.ts';
import { readLastTurnEvent } from './read-last-turn-event.ts';
import { validateKeyPrefix, validateTurnId } from './validate-options.ts';

/** The seq of a turn's newest stored event; 0 when the turn has none (unknown, not started, or expired). */
export async function lastSeq(redis: Redis, keyPrefix: string, turnId: string): Promise<number> {
  const stream = redisKeys(validateKeyPrefix(keyPrefix)).turnStream(validateTurnId(turnId));
  return (await readLastTurnEvent(redis, stream))?.seq ?? 0;
}

/** A turn's newest stored event (one XREVRANGE); `undefined` when it has none. */
export async function lastTurnEvent<E extends TurnStreamEvent = TurnEvent>(redis: Redis, keyPrefix: string, turnId: string): Promise<E | undefined> {
  const stream = redisKeys(validateKeyPrefix(keyPrefix)).turnStream(validateTurnId(turnId));
  return readLastTurnEvent<E>(redis, stream);
}
