import type { Cluster, Redis } from 'ioredis';
import type { Logger, TurnEvent } from '@turnpool/protocol';
import { turnKeys } from '../turn-keys.ts';
import { channelHub } from './channel-hub.ts';
import { duplicateSubscriber } from './duplicate-subscriber.ts';
import { isTerminalEvent } from './is-terminal-event.ts';
import { isEnvelope } from './parse-stream-entry.ts';
import { readLastTurnEvent } from './read-last-turn-event.ts';
import { readPageSize, readTurnPage } from './read-turn-events.ts';
import { TurnStreamError } from './turn-stream-error.ts';
import type { TerminalPredicate, TurnStreamEvent } from './turn-stream-event.ts';
import { validateInt, validateKeyPrefix, validateTurnId } from './validate-options.ts';

/** Options of {@link subscribeTurn}. */
export interface SubscribeTurnOptions<E extends TurnStreamEvent> {
  /** A regular connection for the stream reads (XRANGE); also what `duplicate()` copies when no `subscriber` is given. Not closed. */
  redis: Redis | Cluster;
  /**
   * @defaultValue a dedicated connection, `redis.duplicate()`, closed when the iteration ends.
   * Pass a subscriber connection to share it between many subscriptions (a dispatcher with
   * thousands of SSE clients): channels are reference-counted on it and it is never closed here.
   */
  subscriber?: Redis | Cluster;
  /** @defaultValue `'turnpool'` — config `redis.keyPrefix`. */
  keyPrefix?: string;
  /** The turn to follow. */
  turnId: string;
  /** @defaultValue 0 — deliver events with seq > after (a resuming SSE client passes its Last-Event-ID). */
  after?: number;
  /** @defaultValue none — aborting ends the iteration quietly (no error) and releases the connection. */
  signal?: AbortSignal;
  /**
   * @defaultValue 1000 — most live events held for a consumer that is not pulling. Past it the
   * live buffer is dropped and the subscriber reads the stream again from its last seq when the
   * consumer next pulls: memory stays bounded, nothing is lost or repeated.
   */
  maxBuffered?: number;
  /**
   * @defaultValue 15000 — after this long without a live event, read the stream once. A safety
   * net for pub/sub messages lost while the subscriber connection was down. 0 = off.
   */
  idleCheckMs?: number;
  /**
   * @defaultValue none (wait for ever) — if the turn has no event at all after this long, end with
   * `TurnStreamError('turn_not_found')`. A turn that is queued but not started has no events yet.
   */
  waitTimeoutMs?: number;
  /** @defaultValue {@link isTerminalEvent} — the event after which the iteration ends. */
  isTerminal?: TerminalPredicate<E>;
  /** @defaultValue none — pino-compatible logger (undecodable live messages, connection errors). */
  logger?: Logger;
}

/**
 * Follows one turn: every event with seq > `after`, in seq order, each exactly once, ending
 * after the terminal event. SUBSCRIBE first, then read the stream, then the live messages
 * (skipping seq <= last; a gap is read from the stream). See README "Subscribing".
 */
export function subscribeTurn<E extends TurnStreamEvent = TurnEvent>(opts: SubscribeTurnOptions<E>): AsyncGenerator<E, void, undefined> {
  if (typeof opts !== 'object' || opts === null)
    throw new TurnStreamError('invalid_option', 'options must be an object', { field: 'options' });
  if (typeof opts.redis !== 'object' || opts.redis === null || typeof opts.redis.xrange !== 'function') {
    throw new TurnStreamError('invalid_option', 'redis must be an ioredis connection', { field: 'redis' });
  }
  if (
    opts.subscriber !== undefined &&
    (typeof opts.subscriber !== 'object' || opts.subscriber === null || typeof opts.subscriber.subscribe !== 'function')
  ) {
    throw new TurnStreamError('invalid_option', 'subscriber must be an ioredis connection', { field: 'subscriber' });
  }
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
    throw new TurnStreamError('invalid_option', 'signal must be an AbortSignal', { field: 'signal' });
  }
  if (opts.isTerminal !== undefined && typeof opts.isTerminal !== 'function') {
    throw new TurnStreamError('invalid_option', 'isTerminal must be a function', { field: 'isTerminal' });
  }
  return followTurn<E>({
    redis: opts.redis,
    subscriber: opts.subscriber,
    turnId: validateTurnId(opts.turnId),
    keys: turnKeys(validateKeyPrefix(opts.keyPrefix)),
    after: validateInt('after', opts.after, 0, Number.MAX_SAFE_INTEGER - 1, 0),
    signal: opts.signal,
    maxBuffered: validateInt('maxBuffered', opts.maxBuffered, 1, 1_000_000, 1000),
    idleCheckMs: validateInt('idleCheckMs', opts.idleCheckMs, 0, 86_400_000, 15_000),
    waitTimeoutMs: validateInt('waitTimeoutMs', opts.waitTimeoutMs, 1, 86_400_000),
    isTerminal: opts.isTerminal ?? isTerminalEvent,
    logger: opts.logger,
  });
}

interface Follow<E extends TurnStreamEvent> {
  redis: Redis | Cluster;
  subscriber: Redis | Cluster | undefined;
  turnId: string;
  keys: ReturnType<typeof turnKeys>;
  after: number;
  signal: AbortSignal | undefined;
  maxBuffered: number;
  idleCheckMs: number;
  waitTimeoutMs: number | undefined;
  isTerminal: TerminalPredicate<E>;
  logger: Logger | undefined;
}

async function* followTurn<E extends TurnStreamEvent>(f: Follow<E>): AsyncGenerator<E, void, undefined> {
  const { redis, signal, isTerminal, logger, turnId } = f;
  const stream = f.keys.events(turnId);
  const channel = f.keys.live(turnId);
  let last = f.after;
  let seen = false;
  let catchUp = true;
  let waitExpired = false;
  const buffer: E[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const own = f.subscriber === undefined;
  let sub: Redis | Cluster | undefined;
  let leave: (() => Promise<void>) | undefined;
  let waitTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  signal?.addEventListener('abort', notify);
  try {
    if (signal?.aborted) return;
    if (f.waitTimeoutMs !== undefined)
      waitTimer = setTimeout(() => {
        waitExpired = true;
        notify();
      }, f.waitTimeoutMs);
    if (own) {
      sub = duplicateSubscriber(redis, { connectionName: `turn-sub:${turnId}`, lazy: true });
      sub.on('error', (err: Error) => logger?.warn({ err, turnId }, 'turn subscriber connection error'));
      await sub.connect();
    } else {
      sub = f.subscriber as Redis | Cluster;
    }
    leave = await channelHub(sub).subscribe(channel, {
      onMessage(message) {
        const events = decodeLive(message);
        if (events === undefined) {
          logger?.warn({ turnId, channel }, 'undecodable live message; reading the stream instead');
          catchUp = true;
        } else {
          buffer.push(...(events as E[]));
          if (buffer.length > f.maxBuffered && !catchUp) {
            logger?.debug({ turnId, maxBuffered: f.maxBuffered }, 'live buffer full; reading the stream instead');
            buffer.length = 0;
            catchUp = true;
          } else if (catchUp) {
            buffer.length = 0; // the pending stream read covers these
          }
        }
        notify();
      },
      onReconnect() {
        catchUp = true;
        notify();
      },
    });

    for (;;) {
      if (signal?.aborted) return;
      if (catchUp) {
        catchUp = false;
        for (;;) {
          const page = await readTurnPage<E>(redis, stream, last, readPageSize);
          for (const e of page) {
            seen = true;
            last = e.seq;
            yield e;
            if (isTerminal(e) || signal?.aborted) return;
          }
          if (page.length < readPageSize) break;
        }
        if (!seen) {
          // Nothing after `after`: a turn that already ended at or before it, or one not begun yet.
          const top = await readLastTurnEvent<E>(redis, stream);
          if (top !== undefined) {
            seen = true;
            if (top.seq <= last && isTerminal(top)) return;
          } else if (waitExpired) {
            throw new TurnStreamError('turn_not_found', `turn ${turnId} has no events after waiting ${f.waitTimeoutMs} ms`, {
              field: 'turnId',
            });
          }
        }
        continue;
      }
      const e = buffer.shift();
      if (e !== undefined) {
        if (e.seq <= last) continue;
        if (e.seq > last + 1) {
          catchUp = true;
          continue;
        } // a gap: the stream holds it (XADD precedes PUBLISH)
        seen = true;
        last = e.seq;
        yield e;
        if (isTerminal(e)) return;
        continue;
      }
      if (waitExpired && !seen) {
        catchUp = true;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (f.idleCheckMs > 0)
          idleTimer = setTimeout(() => {
            catchUp = true;
            notify();
          }, f.idleCheckMs);
      });
      clearTimeout(idleTimer);
    }
  } catch (err) {
    if (err instanceof TurnStreamError) throw err;
    throw new TurnStreamError('redis_unavailable', `reading turn ${turnId} failed: ${(err as Error).message}`, {
      retryable: true,
      cause: err,
    });
  } finally {
    clearTimeout(waitTimer);
    clearTimeout(idleTimer);
    signal?.removeEventListener('abort', notify);
    // Leaving the channel is cleanup (the hub's unsubscribe swallows its own errors too).
    await leave?.().catch(() => {});
    if (own && sub) await closeConnection(sub);
  }
}

/** A live message is a JSON array of events; `undefined` when it is anything else. */
function decodeLive(message: string): TurnStreamEvent[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  return Array.isArray(value) && value.every(isEnvelope) ? value : undefined;
}

async function closeConnection(sub: Redis | Cluster): Promise<void> {
  if (sub.status === 'ready') {
    try {
      await sub.quit();
      return;
    } catch {
      // fall through to disconnect
    }
  }
  sub.disconnect();
}
