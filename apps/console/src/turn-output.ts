import type { TerminalTurnEvent, TurnEvent } from '@turnpool/protocol';
import { isTerminalEvent } from '@turnpool/turn-store/web';

/** One content block of the answer, as its deltas arrive. */
export interface OutputBlock {
  index: number;
  kind: 'text' | 'reasoning' | 'tool';
  text: string;
  /** Tool calls: the tool's name and its input JSON so far. */
  name?: string;
  json?: string;
  redacted?: boolean;
  done: boolean;
}

/** What the turn view shows: blocks of the current attempt, notes (start, waits, retries), the terminal event. */
export interface TurnOutput {
  lastSeq: number;
  blocks: OutputBlock[];
  notes: { seq: number; text: string }[];
  terminal: TerminalTurnEvent | null;
  /** The host that runs the current attempt (turn-start's `worker` without its thread). */
  host: string | null;
}

export const emptyOutput = (): TurnOutput => ({ lastSeq: 0, blocks: [], notes: [], terminal: null, host: null });

/** Folds one event into the output (pure: a new object each time). Events at or below lastSeq are ignored (a resumed stream). */
export function applyEvent(out: TurnOutput, e: TurnEvent): TurnOutput {
  if (e.seq <= out.lastSeq) return out;
  const next: TurnOutput = { ...out, lastSeq: e.seq };
  const block = (index: number, kind: OutputBlock['kind']): OutputBlock => {
    const found = next.blocks.find((b) => b.index === index);
    if (found) return found;
    const b: OutputBlock = { index, kind, text: '', done: false };
    next.blocks = [...next.blocks, b];
    return b;
  };
  const replace = (b: OutputBlock) => {
    next.blocks = next.blocks.map((x) => (x.index === b.index ? b : x));
  };
  const note = (text: string) => {
    next.notes = [...next.notes, { seq: e.seq, text }];
  };
  switch (e.type) {
    case 'turn-start':
      note(`attempt ${e.attempt} started on ${e.worker} (${e.modelId}, ${e.region})`);
      next.host = e.worker.replace(/\/t\d+$/, '') || null;
      break;
    case 'text-delta': {
      const b = block(e.index, 'text');
      replace({ ...b, text: b.text + e.text });
      break;
    }
    case 'reasoning-delta': {
      const b = block(e.index, 'reasoning');
      replace({ ...b, text: b.text + (e.text ?? ''), redacted: b.redacted || e.redacted !== undefined });
      break;
    }
    case 'tool-call-start': {
      const b = block(e.index, 'tool');
      replace({ ...b, kind: 'tool', name: e.name, json: '' });
      break;
    }
    case 'tool-input-delta': {
      const b = block(e.index, 'tool');
      replace({ ...b, json: (b.json ?? '') + e.json });
      break;
    }
    case 'block-end': {
      const b = next.blocks.find((x) => x.index === e.index);
      if (b) replace({ ...b, done: true });
      break;
    }
    case 'turn-retry':
      // A new attempt starts over: the partial output of the earlier one is dropped.
      next.blocks = [];
      note(`attempt ${e.attempt}: retry (${e.reason})`);
      break;
    case 'turn-waiting':
      note(`waiting for quota ${e.quotaKey}: ${e.reason}, position ${e.position}, about ${Math.round(e.etaMs / 1000)} s`);
      break;
    case 'turn-fallback':
      note(`fallback ${e.from} → ${e.to} (${e.reason})`);
      break;
    default:
      if (isTerminalEvent(e)) next.terminal = e;
  }
  return next;
}
