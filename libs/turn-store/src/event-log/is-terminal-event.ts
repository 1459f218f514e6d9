import { terminalEventTypes, type TerminalTurnEvent, type TurnEvent, type TurnEventBody } from './turn-event.ts';

/** True for `turn-end`, `turn-error` and `turn-cancelled`: nothing follows them. */
export function isTerminalEvent(event: TurnEvent): event is TerminalTurnEvent;
export function isTerminalEvent(event: TurnEventBody): boolean;
export function isTerminalEvent(event: { type: string }): boolean {
  return terminalEventTypes.has(event.type as TurnEvent['type']);
}
