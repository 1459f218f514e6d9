import type { Cluster, Redis } from 'ioredis';
import type { TurnEvent } from '@turnpool/protocol';
import { turnKeys } from '../turn-keys.ts';
import { parseStreamEntry, type StreamEntry } from './parse-stream-entry.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';
import { validateKeyPrefix, validateTurnId } from './validate-options.ts';

/**
 * The one reader of a turn's newest event (one XREVRANGE COUNT 1): the writer continues its
 * seq from it, subscribers stop on it, getTurn reads the outcome from it, the runner skips a
 * finished turn by it. `undefined` when the turn has no event (unknown, not started, or expired).
 */
export async function lastTurnEvent<E extends TurnStreamEvent = TurnEvent>(
  redis: Redis | Cluster,
  keyPrefix: string,
  turnId: string,
): Promise<E | undefined> {
  return readLastTurnEvent<E>(redis, turnKeys(validateKeyPrefix(keyPrefix)).events(validateTurnId(turnId)));
}

/** {@link lastTurnEvent} for a stream key already built and checked (the writer's and the subscriber's). */
export async function readLastTurnEvent<E extends TurnStreamEvent>(redis: Redis | Cluster, stream: string): Promise<E | undefined> {
  const entries = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
  const top = entries[0];
  return top === undefined ? undefined : parseStreamEntry<E>(top, stream);
}
