import type { Cluster, Redis } from 'ioredis';
import type { TurnEvent } from '@turnpool/protocol';
import { turnKeys } from '../turn-keys.ts';
import { parseStreamEntry, type StreamEntry } from './parse-stream-entry.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';
import { validateInt, validateKeyPrefix, validateTurnId } from './validate-options.ts';

/** Default and largest page of one XRANGE call. */
export const readPageSize = 500;

/** Reads up to `count` events with seq > `after` from a stream key (one XRANGE). */
export async function readTurnPage<E extends TurnStreamEvent>(
  redis: Redis | Cluster,
  stream: string,
  after: number,
  count = readPageSize,
): Promise<E[]> {
  const entries = (await redis.xrange(stream, `${after + 1}-0`, '+', 'COUNT', count)) as StreamEntry[];
  return entries.map((entry) => parseStreamEntry<E>(entry, stream));
}

/** Options of {@link readTurnEvents}. */
export interface ReadTurnEventsOptions {
  /**
   * Most events to return (the rest stays for a later call with a higher `after`).
   * @defaultValue 100000 — a bound on memory; a turn's longest output is far below it.
   */
  limit?: number;
}

/**
 * Replay only: the events of a turn with seq > `after`, in seq order, read in pages of
 * {@link readPageSize}. An unknown or expired turn reads as `[]`.
 */
export async function readTurnEvents<E extends TurnStreamEvent = TurnEvent>(
  redis: Redis | Cluster,
  keyPrefix: string,
  turnId: string,
  after = 0,
  opts: ReadTurnEventsOptions = {},
): Promise<E[]> {
  const stream = turnKeys(validateKeyPrefix(keyPrefix)).events(validateTurnId(turnId));
  let last = validateInt('after', after, 0, Number.MAX_SAFE_INTEGER - 1, 0);
  const limit = validateInt('limit', opts.limit, 1, 10_000_000, 100_000);
  const out: E[] = [];
  for (;;) {
    const page = await readTurnPage<E>(redis, stream, last, Math.min(readPageSize, limit - out.length));
    out.push(...page);
    const tail = page.at(-1);
    if (tail === undefined || page.length < readPageSize || out.length >= limit) return out;
    last = tail.seq;
  }
}
