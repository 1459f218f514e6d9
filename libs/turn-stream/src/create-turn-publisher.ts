import type { TurnEvent } from '@turnpool/protocol';
import { createTurnWriter, type TurnWriter, type TurnWriterOptions } from './create-turn-writer.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

/** What a worker thread needs to publish turns: the seam tests and other transports plug into. */
export interface TurnEventPublisher<E extends TurnStreamEvent = TurnEvent> {
  /** Opens the writer of one attempt of one turn (continues the turn's seq). */
  openTurn(turn: { turnId: string; attempt: number }): Promise<TurnWriter<E>>;
}

/** Options shared by every writer of a publisher: the writer options without the per-turn ones. */
export type TurnPublisherOptions<E extends TurnStreamEvent> = Omit<TurnWriterOptions<E>, 'turnId' | 'attempt'>;

/**
 * One publisher per thread, holding the thread's Redis connection and the stream settings
 * (`keyPrefix`, `ttlSeconds`, `maxBatch`, ...); `openTurn()` makes a writer per turn attempt.
 */
export function createTurnPublisher<E extends TurnStreamEvent = TurnEvent>(opts: TurnPublisherOptions<E>): TurnEventPublisher<E> {
  const shared = { ...opts };
  return {
    openTurn: ({ turnId, attempt }) => createTurnWriter<E>({ ...shared, turnId, attempt }),
  };
}
