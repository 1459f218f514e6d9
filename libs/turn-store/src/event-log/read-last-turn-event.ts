import type { Redis } from 'ioredis';
import { parseStreamEntry, type StreamEntry } from './parse-stream-entry.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

/** The newest event of a stream key (one XREVRANGE COUNT 1), or `undefined` for an empty or missing stream. */
export async function readLastTurnEvent<E extends TurnStreamEvent>(redis: Redis, stream: string): Promise<E | undefined> {
  const entries = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
  const top = entries[0];
  return top === undefined ? undefined : parseStreamEntry<E>(top, stream);
}
