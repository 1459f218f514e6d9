import type { Redis } from 'ioredis';
import type { TurnErrorData, TurnEvent, TurnEventBody } from '@turnpool/protocol';
import { createTurnWriter } from './create-turn-writer.ts';
import { isTerminalEvent } from './is-terminal-event.ts';
import { lastTurnEvent } from './read-last-turn-event.ts';
import { recordTurnEnd } from '../record/turn-progress.ts';

/**
 * Appends one event to a turn's log from outside a turn's attempt (a worker host's main thread:
 * admission's `turn-waiting` / `turn-fallback`, a queue failure's `turn-error`; the client's
 * `turn-cancelled` for a turn removed from the queue), unless the turn has already ended. The
 * writer's seq fencing lets exactly one of several racing writers write. Returns true when this
 * call wrote the event.
 */
export async function appendTurnEvent(
  redis: Redis,
  keyPrefix: string,
  turnId: string,
  body: TurnEventBody,
  ttlSeconds: number,
): Promise<boolean> {
  const last = await lastTurnEvent<TurnEvent>(redis, keyPrefix, turnId);
  if (last && isTerminalEvent(last)) return false;
  const writer = await createTurnWriter<TurnEvent>({
    redis,
    keyPrefix,
    turnId,
    attempt: last?.attempt ?? 1,
    ttlSeconds,
    lastEvent: last ?? null,
  });
  try {
    await writer.write(body);
  } catch {
    return false; // another writer got there first (seq_conflict, turn_ended), or Redis is gone
  }
  // The console's summary of an ended turn (its record, its model's minute); the event stands without it.
  await recordTurnEnd(redis, keyPrefix, turnId, body).catch(() => {});
  return true;
}

/**
 * Gives a turn that BullMQ failed without our code ending it (stalled more than allowed, or a
 * final attempt whose `turn-error` Redis refused) its terminal event, so subscribers stop
 * waiting. Every host hears the failure; exactly one writes.
 */
export function ensureTerminalEvent(
  redis: Redis,
  keyPrefix: string,
  turnId: string,
  error: TurnErrorData,
  ttlSeconds: number,
): Promise<boolean> {
  return appendTurnEvent(redis, keyPrefix, turnId, { type: 'turn-error', ...error }, ttlSeconds);
}
