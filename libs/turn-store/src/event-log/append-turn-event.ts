import type { Redis } from 'ioredis';
import { isTerminalEvent, turnErrorFromData, type TurnErrorData, type TurnEvent, type TurnEventBody } from '@turnpool/protocol';
import { createTurnWriter, lastTurnEvent } from '@turnpool/turn-stream';

/** The error a BullMQ failure reason stands for: our own reasons are JSON TurnErrorData, BullMQ's are text. */
export function errorFromFailedReason(reason: string | undefined): TurnErrorData {
  if (reason) {
    try {
      const data = JSON.parse(reason) as TurnErrorData;
      if (data && typeof data.code === 'string') return turnErrorFromData(data).toJSON();
    } catch {
      // BullMQ's own text, e.g. "job stalled more than allowable limit"
    }
  }
  return { code: 'worker_lost', message: `The turn failed outside a worker thread: ${(reason ?? 'unknown reason').slice(0, 200)}`, retryable: true };
}

/**
 * Appends one event to a turn's stream from outside a turn's attempt (the host's main thread:
 * admission's `turn-waiting` / `turn-fallback`, a queue failure's `turn-error`), unless the turn
 * has already ended. The writer's seq fencing lets exactly one of several racing hosts write.
 * Returns true when this call wrote the event.
 */
export async function appendTurnEvent(redis: Redis, keyPrefix: string, turnId: string, body: TurnEventBody, ttlSeconds: number): Promise<boolean> {
  const last = await lastTurnEvent<TurnEvent>(redis, keyPrefix, turnId);
  if (last && isTerminalEvent(last)) return false;
  const writer = await createTurnWriter<TurnEvent>({ redis, keyPrefix, turnId, attempt: last?.attempt ?? 1, ttlSeconds, lastEvent: last ?? null });
  try {
    await writer.write(body);
    return true;
  } catch {
    return false; // another host wrote first (seq_conflict), or Redis is gone
  }
}

/**
 * Gives a turn that BullMQ failed without our code ending it (stalled more than allowed, or a
 * final attempt whose `turn-error` Redis refused) its terminal event, so subscribers stop
 * waiting. Every host hears the failure; exactly one writes.
 */
export function ensureTerminalEvent(redis: Redis, keyPrefix: string, turnId: string, error: TurnErrorData, ttlSeconds: number): Promise<boolean> {
  return appendTurnEvent(redis, keyPrefix, turnId, { type: 'turn-error', ...error }, ttlSeconds);
}
