import type { TerminalTurnEvent, TurnEvent, TurnEventBody, TurnEventType } from '@turnpool/protocol';

/** The event types after which a turn's log takes nothing more. */
const terminalEventTypes: ReadonlySet<string> = new Set<TurnEventType>(['turn-end', 'turn-error', 'turn-cancelled']);

/**
 * The one terminal check: true for `turn-end`, `turn-error` and `turn-cancelled` — the writer
 * refuses anything after them, subscribers stop after them, and getTurn reads the outcome from them.
 */
export function isTerminalEvent(event: TurnEvent): event is TerminalTurnEvent;
export function isTerminalEvent(event: TurnEventBody | { type: string }): boolean;
export function isTerminalEvent(event: { type: string }): boolean {
  return terminalEventTypes.has(event.type);
}
