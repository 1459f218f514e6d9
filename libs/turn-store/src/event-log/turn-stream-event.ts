/**
 * The envelope every event on a turn stream carries. libs/protocol's `TurnEvent` union (the
 * default type everywhere) satisfies it; the event log itself only reads these fields, so it can
 * carry any event type that has them.
 */
export interface TurnStreamEvent {
  /** Discriminator, e.g. `text-delta`; also the SSE `event:` name, so `[A-Za-z0-9._-]` only. */
  type: string;
  /** The turn the event belongs to. */
  turnId: string;
  /** The attempt (1-based) that produced the event. */
  attempt: number;
  /** 1, 2, 3, ... across the whole turn, retries included; also the stream entry id `<seq>-0`. */
  seq: number;
  /** Epoch milliseconds at which the writer stamped the event. */
  ts: number;
}

/** The fields the writer stamps; `write()` takes an event without them. */
export type EnvelopeField = 'turnId' | 'attempt' | 'seq' | 'ts';

/** An event as handed to `write()`: its own fields, no envelope (distributes over unions). */
export type TurnEventInput<E extends TurnStreamEvent> = E extends unknown ? Omit<E, EnvelopeField> : never;

/** Decides whether an event ends the turn (nothing is written after it; subscribers stop after it). */
export type TerminalPredicate<E extends TurnStreamEvent> = (event: E) => boolean;
