import { terminalEventTypes, type TurnEventType } from '@turnpool/protocol';
import type { TurnStreamEvent } from './turn-stream-event.ts';

/** The default terminal predicate: the protocol's terminal event types (`turn-end`, `turn-error`, `turn-cancelled`). */
export function isTerminalTurnEvent(event: Pick<TurnStreamEvent, 'type'>): boolean {
  return terminalEventTypes.has(event.type as TurnEventType);
}
