import type { TurnErrorData } from './turn-error-data.ts';
import type { TurnSummary } from './turn-summary.ts';

/** Fields every turn event carries. */
export interface TurnEventBase {
  /** The turn this event belongs to. */
  turnId: string;
  /** Attempt number, from 1; rises on each retry. */
  attempt: number;
  /** Sequence number, from 1, rising by one per event across the whole turn (retries included); the SSE `id`. */
  seq: number;
  /** When the event was published (epoch ms). */
  ts: number;
}

/** A worker begins an attempt. */
export interface TurnStartEvent extends TurnEventBase {
  type: 'turn-start';
  /** The model ref as requested or defaulted (`amazon-bedrock/<id>`, an alias). */
  model: string;
  /** The Bedrock model id (or inference profile id) called. */
  modelId: string;
  /** The AWS region called. */
  region: string;
  /** Which worker runs the attempt (`host:pid:thread`). */
  worker: string;
}

/** Text arrived in a content block. */
export interface TextDeltaEvent extends TurnEventBase {
  type: 'text-delta';
  /** Content block index (Bedrock's `contentBlockIndex`). */
  index: number;
  /** The text fragment. */
  text: string;
}

/** Reasoning arrived: exactly one of `text`, `signature`, `redacted`. */
export interface ReasoningDeltaEvent extends TurnEventBase {
  type: 'reasoning-delta';
  /** Content block index. */
  index: number;
  /** A fragment of reasoning text. */
  text?: string;
  /** The reasoning block's signature (replay it verbatim with the text). */
  signature?: string;
  /** Redacted (encrypted) reasoning bytes, base64. */
  redacted?: string;
}

/** A tool-use block opened. */
export interface ToolCallStartEvent extends TurnEventBase {
  type: 'tool-call-start';
  /** Content block index. */
  index: number;
  /** Id the tool result must repeat. */
  toolUseId: string;
  /** The tool's name. */
  name: string;
}

/** A fragment of a tool call's input JSON; the fragments of one block concatenate to the input. */
export interface ToolInputDeltaEvent extends TurnEventBase {
  type: 'tool-input-delta';
  /** Content block index. */
  index: number;
  /** The JSON text fragment. */
  json: string;
}

/** A content block closed. */
export interface BlockEndEvent extends TurnEventBase {
  type: 'block-end';
  /** Content block index. */
  index: number;
}

/** A new attempt starts: drop the partial output of earlier attempts. `attempt` is the new attempt. */
export interface TurnRetryEvent extends TurnEventBase {
  type: 'turn-retry';
  /** Why: the error that ended the previous attempt, in words. */
  reason: string;
  /** That error, when there was one. */
  error?: TurnErrorData;
}

/**
 * The turn waits for the account's Bedrock quota (fleet-wide admission): it keeps its place in
 * its model's line and holds no worker slot. Sent once when the wait starts (and again if a
 * throttle sends an admitted turn back to wait); the usual events follow once it is admitted.
 */
export interface TurnWaitingEvent extends TurnEventBase {
  type: 'turn-waiting';
  /** The binding budget: `rpm`, `tpm`, `concurrency` (learned from throttles) or `throttled` (Bedrock refused an admitted call). */
  reason: 'rpm' | 'tpm' | 'concurrency' | 'throttled';
  /** The quota key waited on: `<region>/<model or profile id>`. */
  quotaKey: string;
  /** 1-based place in that key's line. */
  position: number;
  /** Estimated wait, ms (refill only: a finishing call can free room sooner). */
  etaMs: number;
  /** The turn gives up (or falls back) at this time, epoch ms. */
  deadline: number;
}

/** The turn moves to the next model of its fallbacks, before any output was published. */
export interface TurnFallbackEvent extends TurnEventBase {
  type: 'turn-fallback';
  /** The model ref it leaves. */
  from: string;
  /** The model ref it moves to. */
  to: string;
  /** Why: `wait_timeout` (not admitted within maxWaitMs), `daily_quota`, `too_large`, `throttled`, `model_unavailable`. */
  reason: 'wait_timeout' | 'daily_quota' | 'too_large' | 'throttled' | 'model_unavailable';
}

/** Terminal: the turn succeeded. */
export interface TurnEndEvent extends TurnEventBase, TurnSummary {
  type: 'turn-end';
}

/** Terminal: the turn failed. */
export interface TurnErrorEvent extends TurnEventBase, TurnErrorData {
  type: 'turn-error';
}

/** Terminal: the turn was cancelled. */
export interface TurnCancelledEvent extends TurnEventBase {
  type: 'turn-cancelled';
  /** Who cancelled: `client` (the cancel API), `shutdown`, or another named actor. */
  by: string;
}

/** Every event a turn publishes. Exactly one terminal event (`turn-end`, `turn-error`, `turn-cancelled`) per turn. */
export type TurnEvent =
  | TurnStartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ToolCallStartEvent
  | ToolInputDeltaEvent
  | BlockEndEvent
  | TurnRetryEvent
  | TurnWaitingEvent
  | TurnFallbackEvent
  | TurnEndEvent
  | TurnErrorEvent
  | TurnCancelledEvent;

/** The `type` of a turn event. */
export type TurnEventType = TurnEvent['type'];

/** An event without the fields the publisher stamps. */
export type TurnEventBody = TurnEvent extends infer E ? (E extends TurnEvent ? Omit<E, keyof TurnEventBase> : never) : never;

/** The terminal events (libs/turn-store `isTerminalEvent` tells them apart). */
export type TerminalTurnEvent = TurnEndEvent | TurnErrorEvent | TurnCancelledEvent;
