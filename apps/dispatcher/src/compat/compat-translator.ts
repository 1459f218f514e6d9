import type { TurnError, TurnEvent } from '@turnpool/protocol';

/** What one turn event becomes in a client API's stream. */
export interface TranslatedFrames {
  /** SSE frames (already encoded, `id:` = the event's seq) to write, in order. */
  frames: string[];
  /** The turn ended (successfully or not): nothing follows. */
  terminal: boolean;
  /** The turn failed or was cancelled: an API error status can still be sent if nothing was written. */
  failure?: TurnError;
}

/**
 * Turns a turn's events into one client API's stream (OpenAI chunks, Anthropic events). Pure:
 * fed every event from seq 1 it rebuilds the same frames, which is how a resumed stream knows
 * the state (open blocks, tool call indexes) at its resume point.
 */
export interface CompatTranslator {
  push(event: TurnEvent): TranslatedFrames;
  /** Frames that make a stream resumed mid-answer well-formed (Anthropic: `message_start` and the open block's start). */
  resumePrelude(seq: number): string[];
}
