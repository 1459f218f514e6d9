import type { Cluster, Redis } from 'ioredis';
import type { Logger, TurnEvent } from '@turnpool/protocol';
import { turnKeys } from '../turn-keys.ts';
import { isTerminalEvent } from './is-terminal-event.ts';
import type { FenceMode } from './publish-batch-script.ts';
import { publishPipe } from './publish-pipe.ts';
import { readLastTurnEvent } from './read-last-turn-event.ts';
import { TurnStreamError } from './turn-stream-error.ts';
import type { TerminalPredicate, TurnEventInput, TurnStreamEvent } from './turn-stream-event.ts';
import { validateInt, validateKeyPrefix, validateSetting, validateTurnId } from './validate-options.ts';

/** Options of {@link createTurnWriter}. */
export interface TurnWriterOptions<E extends TurnStreamEvent> {
  /** A regular (non-subscriber) connection; shared by every writer of a thread. Not closed by the writer. */
  redis: Redis | Cluster;
  /** @defaultValue `'turnpool'` — config `redis.keyPrefix`; keys are `{prefix/turn/<turnId>}:events` (turn-keys.ts). */
  keyPrefix?: string;
  /** The turn to write. 1-256 printable ASCII characters. */
  turnId: string;
  /** @defaultValue 1 — the BullMQ attempt (1-based) stamped on every event. */
  attempt?: number;
  /** Config `streams.ttlSeconds` (its rule and default: `sharedSettings.retentionSeconds`): how long a finished turn stays replayable. */
  ttlSeconds?: number;
  /** @defaultValue 64 — most events per script call; a bound on the script's run time and argument size. */
  maxBatch?: number;
  /** @defaultValue 1048576 — largest serialised event in bytes; bigger ones are refused (`event_too_large`). */
  maxEventBytes?: number;
  /** @defaultValue {@link isTerminalEvent} — which event ends the turn. */
  isTerminal?: TerminalPredicate<E>;
  /**
   * @defaultValue 2 — config `streams.lingerMs` (`sharedSettings.eventLingerMs`): longest a batch
   * waits for the batches of other turns written on the same connection, so they go out in one
   * script call. 0 = only what is written in the same tick goes together.
   */
  lingerMs?: number;
  /** @defaultValue 65536 — `sharedSettings.eventLingerBytes`: a lingering call leaves at once past this many bytes of event JSON. */
  lingerBytes?: number;
  /** @defaultValue none — pino-compatible logger for batch failures. */
  logger?: Logger;
  /**
   * The stream's newest event (or `null` for none) as the caller has just read it with
   * {@link lastTurnEvent}; saves the writer's own read. @defaultValue read by the writer.
   * A stale value is harmless: the publish script's seq fence refuses the first batch.
   */
  lastEvent?: E | null;
}

/** Writes one attempt of one turn. See README "Writing". */
export interface TurnWriter<E extends TurnStreamEvent> {
  readonly turnId: string;
  readonly attempt: number;
  /** The seq of the newest event handed to `write()` (the stream's last seq at open, before any write). */
  readonly lastSeq: number;
  /** The seq of the newest event Redis confirmed. */
  readonly durableSeq: number;
  /** True once a terminal event was accepted by `write()`. */
  readonly ended: boolean;
  /**
   * Stamps the event with `{turnId, attempt, seq, ts}` and queues it; resolves with the stamped
   * event once it is in the stream and was published. Rejects with `redis_unavailable` when its
   * batch failed: the event stays queued and the next `write()`/`flush()` sends it again.
   */
  write(event: TurnEventInput<E>): Promise<E>;
  /**
   * write() without a promise per event, for a stream of events whose end is awaited with
   * flush() (the runner's model output): stamps and queues the event and returns its seq.
   * Throws at once what write() rejects at once (`invalid_event`, `event_too_large`,
   * `writer_closed`, `turn_ended`, a fatal refusal); a batch that fails is reported by the next
   * write() or flush(), which send its events again.
   */
  append(event: TurnEventInput<E>): number;
  /** Resolves when every event written so far is durable (sends a queued failed batch again). */
  flush(): Promise<void>;
  /** Flushes, then refuses further writes. Safe to call twice. Does not close `redis`. */
  close(): Promise<void>;
}

const typePattern = /^[A-Za-z0-9._-]{1,64}$/;

interface Queued {
  seq: number;
  json: string;
  terminal: boolean;
}
interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Opens a writer for one attempt of a turn: reads the stream's last seq (one XREVRANGE) so
 * that a retried attempt continues the turn's seq, then batches writes: the events at hand go
 * out together, events written while a call is in flight go out together in the next, and the
 * batches of every turn written on the connection within `lingerMs` share one script call.
 * Only the writer's first batch (and a retried one) reads the stream's top; later batches are
 * fenced by XADD's own id check (see publish-batch-script.ts).
 */
export async function createTurnWriter<E extends TurnStreamEvent = TurnEvent>(opts: TurnWriterOptions<E>): Promise<TurnWriter<E>> {
  if (typeof opts !== 'object' || opts === null)
    throw new TurnStreamError('invalid_option', 'options must be an object', { field: 'options' });
  const { redis, logger } = opts;
  if (typeof redis !== 'object' || redis === null || typeof redis.xrevrange !== 'function') {
    throw new TurnStreamError('invalid_option', 'redis must be an ioredis connection', { field: 'redis' });
  }
  const turnId = validateTurnId(opts.turnId);
  const keyPrefix = validateKeyPrefix(opts.keyPrefix);
  const keys = turnKeys(keyPrefix);
  const attempt = validateInt('attempt', opts.attempt, 1, 1_000_000, 1);
  const ttlSeconds = validateSetting('retentionSeconds', 'ttlSeconds', opts.ttlSeconds);
  const maxBatch = validateInt('maxBatch', opts.maxBatch, 1, 10_000, 64);
  const maxEventBytes = validateInt('maxEventBytes', opts.maxEventBytes, 64, 64 * 1024 * 1024, 1024 * 1024);
  const lingerMs = validateSetting('eventLingerMs', 'lingerMs', opts.lingerMs);
  const lingerBytes = validateSetting('eventLingerBytes', 'lingerBytes', opts.lingerBytes);
  const isTerminal = opts.isTerminal ?? isTerminalEvent;
  if (typeof isTerminal !== 'function')
    throw new TurnStreamError('invalid_option', 'isTerminal must be a function', { field: 'isTerminal' });

  const stream = keys.events(turnId);
  const channel = keys.live(turnId);
  const pipe = publishPipe(redis, keyPrefix, lingerMs, lingerBytes);
  const top = opts.lastEvent === undefined ? await readLastTurnEvent<E>(redis, stream) : (opts.lastEvent ?? undefined);

  let assigned = top?.seq ?? 0;
  let durable = assigned;
  let ended = false;
  let closing: Promise<void> | undefined;
  let fatal: TurnStreamError | undefined;
  /** Events not yet confirmed, oldest first; seqs up to `sentBefore` were in a batch that failed. */
  const queue: Queued[] = [];
  let sentBefore = 0;
  /** A batch was confirmed: the stream ends at `durable`, so the next batch needs no read (fenced). */
  let confirmedOnce = false;
  let inFlight = false;
  const waiters: Waiter[] = [];

  let scheduled = false;
  /** Sends on the next microtask, so every event written in the same tick joins one batch (no timer). */
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      pump();
    });
  };
  const waitFor = <T>(seq: number, value: T) =>
    new Promise<T>((resolve, reject) => {
      waiters.push({ seq, resolve: () => resolve(value), reject });
      schedule();
    });

  /** Waiters are in seq order (writes take rising seqs; flush waits for the newest), so settle a prefix. */
  const settle = (err?: unknown) => {
    if (err !== undefined) {
      for (const w of waiters.splice(0)) w.reject(err);
      return;
    }
    let n = 0;
    while (n < waiters.length && (waiters[n] as Waiter).seq <= durable) n++;
    for (const w of waiters.splice(0, n)) w.resolve();
  };

  const pump = () => {
    if (inFlight || queue.length === 0) return;
    if (fatal) {
      settle(fatal);
      return;
    }
    inFlight = true;
    const batch = queue.slice(0, maxBatch);
    const mode: FenceMode = (batch[0] as Queued).seq <= sentBefore ? 'retry' : confirmedOnce ? 'fenced' : 'checked';
    const batchLast = (batch.at(-1) as Queued).seq;
    const failed = (cause: unknown) => {
      inFlight = false;
      sentBefore = Math.max(sentBefore, batchLast);
      const err = toWriteError(cause, stream);
      if (!err.retryable) fatal = err;
      logger?.warn({ err, turnId, attempt, firstSeq: batch[0]?.seq, lastSeq: batchLast }, 'turn event batch not confirmed');
      settle(err);
    };
    pipe.send({ stream, channel, ttlSeconds, terminal: (batch.at(-1) as Queued).terminal, mode, events: batch }, (err, result) => {
      if (err !== undefined) {
        failed(err);
        return;
      }
      if (result === undefined || 'refused' in result) {
        failed(new Error(result?.refused ?? 'no result for the batch'));
        return;
      }
      inFlight = false;
      confirmedOnce = true;
      queue.splice(0, batch.length);
      durable = batchLast;
      settle();
      pump();
    });
  };

  /** Stamps and queues one event (what write() and append() share); throws what they refuse. */
  const stamp = (body: TurnEventInput<E>): E => {
    if (fatal) throw fatal;
    if (closing) throw new TurnStreamError('writer_closed', `turn ${turnId}: write() after close()`);
    if (ended) throw new TurnStreamError('turn_ended', `turn ${turnId}: write() after the terminal event (seq ${assigned})`);
    let event: E;
    let json: string;
    try {
      if (
        typeof body !== 'object' ||
        body === null ||
        Array.isArray(body) ||
        typeof (body as { type?: unknown }).type !== 'string' ||
        !typePattern.test((body as { type: string }).type)
      ) {
        throw new TurnStreamError('invalid_event', 'event must be an object whose type is 1-64 characters [A-Za-z0-9._-]', {
          field: 'type',
        });
      }
      event = { ...body, turnId, attempt, seq: assigned + 1, ts: Date.now() } as unknown as E;
      json = JSON.stringify(event);
    } catch (err) {
      throw err instanceof TurnStreamError
        ? err
        : new TurnStreamError('invalid_event', `event is not serialisable as JSON: ${(err as Error).message}`, { cause: err });
    }
    // A UTF-16 length of at most a third of the bound cannot be over it in UTF-8 bytes: count bytes only above that.
    if (json.length * 3 > maxEventBytes && Buffer.byteLength(json) > maxEventBytes) {
      throw new TurnStreamError(
        'event_too_large',
        `event of type ${event.type} is ${Buffer.byteLength(json)} bytes, over maxEventBytes ${maxEventBytes}`,
        { field: 'maxEventBytes' },
      );
    }
    assigned = event.seq;
    const terminal = isTerminal(event);
    if (terminal) ended = true;
    queue.push({ seq: event.seq, json, terminal });
    schedule();
    return event;
  };

  return {
    turnId,
    attempt,
    get lastSeq() {
      return assigned;
    },
    get durableSeq() {
      return durable;
    },
    get ended() {
      return ended;
    },
    write(body) {
      let event: E;
      try {
        event = stamp(body);
      } catch (err) {
        return Promise.reject(err);
      }
      const confirmed = waitFor(event.seq, event);
      // A write nobody awaits must not crash the process as an unhandled rejection: the event
      // stays queued, and flush()/close() (and the logger) report the failure.
      confirmed.catch(() => {});
      return confirmed;
    },
    append(body) {
      return stamp(body).seq;
    },
    flush() {
      if (fatal) return Promise.reject(fatal);
      return assigned <= durable ? Promise.resolve() : waitFor(assigned, undefined);
    },
    close() {
      closing ??= assigned <= durable ? Promise.resolve() : waitFor(assigned, undefined);
      return closing;
    },
  };
}

/** Maps a failed script call: the script's own refusals are final, anything else is Redis being unavailable. */
function toWriteError(cause: unknown, stream: string): TurnStreamError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (message.includes('TURNPOOL_SEQ_CONFLICT')) {
    return new TurnStreamError(
      'seq_conflict',
      `another writer added events to ${stream} (${message.replace(/^.*TURNPOOL_SEQ_CONFLICT /, '')})`,
      { cause },
    );
  }
  if (message.includes('TURNPOOL_TURN_ENDED')) {
    return new TurnStreamError(
      'turn_ended',
      `turn already ended in ${stream} (${message.replace(/^.*TURNPOOL_TURN_ENDED /, '')}): nothing may follow its terminal event`,
      { cause },
    );
  }
  if (message.includes('TURNPOOL_SEQ_GAP')) {
    return new TurnStreamError('seq_gap', `events missing from ${stream} (${message.replace(/^.*TURNPOOL_SEQ_GAP /, '')})`, { cause });
  }
  return new TurnStreamError('redis_unavailable', `Redis did not confirm events for ${stream}: ${message}`, { retryable: true, cause });
}
