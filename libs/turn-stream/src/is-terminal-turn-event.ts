import type { TurnStreamEvent } from './turn-stream-event.ts';

const terminalTypes: ReadonlySet<string> = new Set(['turn-end', 'turn-error', 'turn-cancelled']);

/** The default terminal predicate: the protocol's three terminal event types. */
export function isTerminalTurnEvent(event: Pick<TurnStreamEvent, 'type'>): boolean {
  return terminalTypes.has(event.type);
}
