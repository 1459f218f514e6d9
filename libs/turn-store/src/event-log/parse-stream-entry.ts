import { TurnStreamError } from './turn-stream-error.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

/** An XRANGE reply entry: `[id, [field, value, ...]]`. */
export type StreamEntry = [id: string, fields: string[]];

/**
 * Decodes one stream entry written by the publish script (field `e` = the event's JSON,
 * entry id `<seq>-0`). Anything else is a corrupt stream and throws: the stream is the
 * source of truth, so silently skipping an entry would hide a gap.
 */
export function parseStreamEntry<E extends TurnStreamEvent>(entry: StreamEntry, stream: string): E {
  const [id, fields] = entry;
  const idx = fields.indexOf('e');
  const json = idx >= 0 && idx % 2 === 0 ? fields[idx + 1] : undefined;
  const event = json === undefined ? undefined : parseEventJson(json);
  if (event === undefined || `${event.seq}-0` !== id) {
    throw new TurnStreamError('corrupt_event', `stream ${stream} entry ${id} is not a turn event (field "e" with seq matching the id)`);
  }
  return event as E;
}

/** Parses one event's JSON; `undefined` unless it is an object with a string `type` and a positive integer `seq`. */
export function parseEventJson(json: string): TurnStreamEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return isEnvelope(value) ? value : undefined;
}

/** True for an object with a string `type` and a positive safe-integer `seq`. */
export function isEnvelope(value: unknown): value is TurnStreamEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v['type'] === 'string' && typeof v['seq'] === 'number' && Number.isSafeInteger(v['seq']) && v['seq'] > 0;
}
