import type { Cluster, Redis } from 'ioredis';
import { turnKeys } from '../turn-keys.ts';

/**
 * The one cancel message: what `cancelTurn` publishes on the cancel channel, what every worker
 * host receives, and what a host fans out to its threads (there `turnId` may be `'*'`: every
 * turn of the host, at shutdown).
 */
export interface CancelMessage {
  /** The turn to cancel. */
  turnId: string;
  /** Who asked (1-64 characters; `api` when unnamed). Shown in `turn-cancelled`. */
  by: string;
}

/** The abort reason of an attempt stopped by a cancel (the runner answers it with `turn-cancelled`). */
export interface CancelReason {
  kind: 'cancel';
  by: string;
}

const maxByChars = 64;

/** The message for a turn id and a requester (`by` cut to 64 characters, `api` when empty). */
export function cancelMessage(turnId: string, by: string | undefined): CancelMessage {
  return { turnId, by: (by || 'api').slice(0, maxByChars) };
}

/** A received message (JSON text from Redis, or a structured clone from a BroadcastChannel); `undefined` when malformed. */
export function parseCancelMessage(raw: unknown): CancelMessage | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { turnId, by } = value as Record<string, unknown>;
  if (typeof turnId !== 'string' || turnId === '') return undefined;
  return cancelMessage(turnId, typeof by === 'string' ? by : undefined);
}

/** `by` when `reason` (an AbortSignal's) is a cancel; else `undefined`. */
export function cancelledBy(reason: unknown): string | undefined {
  if (typeof reason !== 'object' || reason === null || (reason as { kind?: unknown }).kind !== 'cancel') return undefined;
  const { by } = reason as { by?: unknown };
  return typeof by === 'string' ? by : 'api';
}

/**
 * Requests a cancel: sets the turn's cancel flag for `ttlSeconds` (covers a turn picked up
 * between now and its first event) and publishes the message to every worker host (reaches a
 * running one).
 */
export async function requestCancel(redis: Redis | Cluster, keyPrefix: string, msg: CancelMessage, ttlSeconds: number): Promise<void> {
  const keys = turnKeys(keyPrefix);
  await redis.set(keys.cancelFlag(msg.turnId), msg.by, 'EX', ttlSeconds);
  await redis.publish(keys.cancelChannel, JSON.stringify(msg));
}

/** Who asked to cancel a turn before it was picked up (its cancel flag), or `null`. */
export function readCancelRequest(redis: Redis | Cluster, keyPrefix: string, turnId: string): Promise<string | null> {
  return redis.get(turnKeys(keyPrefix).cancelFlag(turnId));
}

/**
 * Receives cancel messages on a subscriber connection (a worker host's): resolves once
 * subscribed, with the function that unsubscribes. A malformed message is handed to
 * `onMalformed` (for a log line) and otherwise ignored.
 */
export async function receiveCancels(
  subscriber: Redis | Cluster,
  keyPrefix: string,
  onCancel: (msg: CancelMessage) => void,
  onMalformed?: (raw: string) => void,
): Promise<() => Promise<void>> {
  const channel = turnKeys(keyPrefix).cancelChannel;
  const listener = (from: string, raw: string) => {
    if (from !== channel) return;
    const msg = parseCancelMessage(raw);
    if (msg && msg.turnId !== '*') onCancel(msg);
    else onMalformed?.(raw);
  };
  subscriber.on('message', listener);
  try {
    await subscriber.subscribe(channel);
  } catch (err) {
    subscriber.off('message', listener);
    throw err;
  }
  return async () => {
    subscriber.off('message', listener);
    // The listener is off already; an UNSUBSCRIBE that fails (connection gone) leaves nothing subscribed.
    await subscriber.unsubscribe(channel).catch(() => {});
  };
}
