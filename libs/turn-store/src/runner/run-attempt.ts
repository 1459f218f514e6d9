import type { Cluster, Redis } from 'ioredis';
import { TurnError, type ResolvedModel, type TurnEvent, type TurnEventBody, type TurnSummary } from '@turnpool/protocol';
import { cancelledBy, readCancelRequest } from '../cancel/turn-cancel.ts';
import { createTurnWriter, type TurnWriter } from '../event-log/create-turn-writer.ts';
import { isTerminalEvent } from '../event-log/is-terminal-event.ts';
import { lastTurnEvent } from '../event-log/read-last-turn-event.ts';
import { readTurnEvents } from '../event-log/read-turn-events.ts';
import { TurnStreamError } from '../event-log/turn-stream-error.ts';
import { validateSetting } from '../event-log/validate-options.ts';
import { outcomeOfEvent, type TurnOutcome } from '../outcome/turn-outcome.ts';
import { recordFirstToken, recordTurnEnd, recordTurnStart } from '../record/turn-progress.ts';

/** Admission's own events (the turn waited, or moved to a fallback): not part of an attempt's output. */
const admissionEvents: ReadonlySet<TurnEvent['type']> = new Set(['turn-waiting', 'turn-fallback']);

/** Failures after which admission moves a turn on (waits again, or tries its next model), when nothing was published yet. */
export const movableErrorCodes: ReadonlySet<string> = new Set([
  'rate_limited',
  'quota_exceeded',
  'model_access_denied',
  'model_unavailable',
]);

/** Where a running attempt registers for cancels (a worker thread's registry of the host's fan-out). */
export interface CancelTarget {
  /** Tracks the attempt; aborting `controller` with a cancel reason stops it. Returns the function that forgets it. */
  register(turnId: string, controller: AbortController): () => void;
}

/** Options of {@link runAttempt}. */
export interface RunAttemptOptions {
  /** A regular connection (the thread's). Not closed. */
  redis: Redis | Cluster;
  keyPrefix: string;
  /** How long a finished turn's log stays replayable, s (config `streams.ttlSeconds`). */
  ttlSeconds: number;
  /** Longest a batch of events waits for other turns' batches, ms (config `streams.lingerMs`). @defaultValue sharedSettings.eventLingerMs (2) */
  lingerMs?: number;
  /**
   * How long the attempt keeps sending its queued events again while Redis refuses them (a
   * Cluster failover, a restart) before it fails, ms (config `streams.writeRetryMs`); 0 = at the
   * first refusal. @defaultValue sharedSettings.eventWriteRetryMs (30000)
   */
  writeRetryMs?: number;
  turnId: string;
  /** The model the attempt calls (after admission's choice). */
  model: ResolvedModel;
  /** 1-based attempt number as BullMQ counts it (stalled restarts excluded). */
  bullAttempt: number;
  /** True when BullMQ will not retry this job after a failure. */
  isFinalAttempt: boolean;
  /** Names the host and thread in `turn-start`. */
  worker: string;
  /** The host's id in the turn's record (`GET /v1/turns` `hostId`, the host's heartbeat). @defaultValue `worker` up to its first `/` */
  hostId?: string;
  cancels: CancelTarget;
  /** A retryable failure after output was published is retried too (config `worker.retryAfterOutput`). */
  retryAfterOutput: boolean;
  /** Admission owns throttles: a `rate_limited` failure before any output is handed back. @defaultValue false */
  throttleWaits?: boolean;
  /** The turn has a fallback model left: a movable failure before any output is handed back. @defaultValue false */
  hasFallback?: boolean;
  /**
   * The model call: yields the turn's event bodies, the last one `turn-end`. It owns its own
   * timers and aborts `controller` with a `TurnError` reason when one fires.
   */
  call(controller: AbortController): AsyncIterable<TurnEventBody>;
  /** Maps what the call threw (neither a `TurnError` nor an event-log error) to the turn's error. */
  classify(err: unknown, signal: AbortSignal): TurnError;
}

function toTurnError(err: unknown, signal: AbortSignal, classify: RunAttemptOptions['classify']): TurnError {
  // An abort reason that is a TurnError (a watchdog's) says why the call broke, whatever it then threw.
  if (signal.aborted && signal.reason instanceof TurnError) return signal.reason;
  if (err instanceof TurnStreamError) {
    return new TurnError('service_unavailable', `Redis did not take the turn's events: ${err.message}`, {
      retryable: err.retryable,
      cause: err,
    });
  }
  if (err instanceof TurnError) return err;
  return classify(err, signal);
}

/**
 * The Redis side of one attempt of one turn: skip a turn already ended (its outcome is
 * returned), honour a cancel requested before it was picked up, continue the turn's attempt
 * and seq, publish `turn-retry` (when an earlier attempt published anything) and `turn-start`,
 * write every event of `call()` to the turn's log, and end with exactly one terminal event —
 * or, for a failure that BullMQ retries or admission takes back, with none.
 */
export async function runAttempt(o: RunAttemptOptions): Promise<TurnOutcome> {
  const { redis, keyPrefix, turnId, model } = o;
  const writeRetryMs = validateSetting('eventWriteRetryMs', 'writeRetryMs', o.writeRetryMs);
  const controller = new AbortController();
  const unregister = o.cancels.register(turnId, controller);

  // The model call starts first, alongside the start-up reads (its time to first token runs
  // meanwhile); its events are consumed only once the writer is open. If the reads say the
  // turn must not run (ended, or cancelled before pick-up), the call is aborted — within one
  // Redis round trip, long before a model's first token — and nothing is written for it.
  const events = o.call(controller)[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<TurnEventBody>> = events.next();
  // Handled here: awaited in the loop below, or dropped when the attempt ends before it.
  next.catch(() => {});
  let callDone = false;
  // The attempt's start, for the console's summary (`startedAt`, and `ttftMs` from it: the call starts here).
  const startedAt = Date.now();
  // The console's summary of the turn (its record): once at start, at the first token and at the
  // end, never per chunk; not awaited — the turn's outcome is its event log, and a lost summary
  // write only leaves a console row behind (the next attempt or the end rewrites it).
  const ended = (body: TurnEventBody) => void recordTurnEnd(redis, keyPrefix, turnId, body).catch(() => {});

  // One round trip (both commands in flight together): the turn's newest event (a finished
  // turn is not run again; a retry continues its attempt and seq) and the cancel flag (a turn
  // cancelled just before it was picked up).
  try {
    const [prev, cancelRequestedBy] = await Promise.all([
      lastTurnEvent<TurnEvent>(redis, keyPrefix, turnId),
      readCancelRequest(redis, keyPrefix, turnId),
    ]);
    if (prev && isTerminalEvent(prev)) return outcomeOfEvent(prev) as TurnOutcome;

    // Admission's own events (the turn waited, or moved to a fallback) are not an attempt: the
    // first run after them continues the attempt, unless BullMQ retried a failed one meanwhile or
    // the attempt already has output. A host killed mid-attempt leaves its turn-start and output
    // before such events, and BullMQ's stall recovery does not count an attempt: so the log decides
    // (one read, only after admission's events) — an attempt with output is not continued, this
    // run is a new one and its turn-retry drops the killed attempt's output. A turn-start with no
    // output after it (a throttle before the first token handed the turn back to wait) is
    // continued: there is nothing to drop.
    const admissionOnly =
      prev !== undefined &&
      admissionEvents.has(prev.type) &&
      o.bullAttempt === 1 &&
      !(await readTurnEvents<TurnEvent>(redis, keyPrefix, turnId)).some(
        (e) => e.attempt === prev.attempt && e.type !== 'turn-start' && !admissionEvents.has(e.type),
      );
    const writer: TurnWriter<TurnEvent> = await createTurnWriter({
      redis,
      keyPrefix,
      turnId,
      attempt: prev ? prev.attempt + (admissionOnly ? 0 : 1) : 1,
      ttlSeconds: o.ttlSeconds,
      lingerMs: o.lingerMs,
      lastEvent: prev ?? null,
    });
    return await writeAttempt(writer, prev, admissionOnly, cancelRequestedBy);
  } finally {
    unregister();
    controller.abort({ kind: 'done' });
    // As for-await would on leaving the loop early: let the call's generator run its finally blocks.
    if (!callDone) void events.return?.(undefined).catch(() => {});
  }

  /** From the open writer to the attempt's outcome (its one terminal event, unless it is handed back). */
  async function writeAttempt(
    writer: TurnWriter<TurnEvent>,
    prev: TurnEvent | undefined,
    admissionOnly: boolean,
    cancelRequestedBy: string | null,
  ): Promise<TurnOutcome> {
    let outputPublished = false;
    try {
      if (cancelRequestedBy !== null) {
        await writer.write({ type: 'turn-cancelled', by: cancelRequestedBy });
        ended({ type: 'turn-cancelled', by: cancelRequestedBy });
        return { status: 'cancelled', by: cancelRequestedBy };
      }
      void recordTurnStart(redis, keyPrefix, turnId, {
        hostId: o.hostId ?? o.worker.split('/')[0] ?? o.worker,
        startedAt,
        ref: model.ref,
        modelId: model.modelId,
      }).catch(() => {});
      // Not awaited (the model call starts at once): a failed write leaves the event queued in
      // the writer, and the awaited writes below (turn-end, turn-error) and flush() report it.
      if (prev && !admissionOnly) {
        void writer.write({ type: 'turn-retry', reason: 'a previous attempt did not finish; drop its partial output' }).catch(() => {});
      }
      void writer
        .write({ type: 'turn-start', model: model.ref, modelId: model.modelId, region: model.region, worker: o.worker })
        .catch(() => {});

      let summary: TurnSummary | undefined;
      for (;;) {
        const step = await next;
        if (step.done) {
          callDone = true;
          break;
        }
        const body = step.value;
        if (body.type === 'turn-end') {
          const { type: _t, ...rest } = body;
          summary = rest;
          break;
        }
        if (!outputPublished) void recordFirstToken(redis, keyPrefix, turnId, Date.now() - startedAt).catch(() => {});
        outputPublished = true;
        // No promise per event: a batch that fails is reported by the flush() below.
        writer.append(body);
        next = events.next();
      }
      if (!summary) throw new TurnError('upstream_unavailable', 'The model stream ended without a result.');
      writer.append({ type: 'turn-end', ...summary });
      await outlastRedis(writer, writeRetryMs);
      ended({ type: 'turn-end', ...summary });
      return { status: 'succeeded', summary };
    } catch (err) {
      if (err instanceof TurnStreamError && err.code === 'turn_ended') {
        // Another attempt or host ended this turn while we ran (a stalled job run twice, a late
        // replayed write): its terminal event stands, and this attempt adds nothing after it.
        const last = await lastTurnEvent<TurnEvent>(redis, keyPrefix, turnId);
        const ended = last ? outcomeOfEvent(last) : undefined;
        if (ended) return ended;
      }
      const by = controller.signal.aborted ? cancelledBy(controller.signal.reason) : undefined;
      if (by !== undefined) {
        // Already failing: if Redis refuses the cancelled event too, the log ends on the next attempt.
        await writer
          .write({ type: 'turn-cancelled', by })
          .then(() => ended({ type: 'turn-cancelled', by }))
          .catch(() => {});
        return { status: 'cancelled', by };
      }
      const error = toTurnError(err, controller.signal, o.classify);
      // Nothing published yet and admission can act (wait again, or move to the next model): hand it back.
      if (
        !outputPublished &&
        ((o.throttleWaits && error.code === 'rate_limited') || (o.hasFallback && movableErrorCodes.has(error.code)))
      ) {
        // Best effort before handing the turn back; the error being returned is the one that counts.
        await writer.flush().catch(() => {});
        return { status: 'failed', error: error.toJSON(), terminal: false };
      }
      const retry = error.retryable && !o.isFinalAttempt && (!outputPublished || o.retryAfterOutput);
      if (retry) {
        // As above: the retry reports the original error; a failed flush is redone by the next attempt.
        await writer.flush().catch(() => {});
        return { status: 'failed', error: error.toJSON(), terminal: false };
      }
      try {
        await writer.write({ type: 'turn-error', ...error.toJSON() });
        ended({ type: 'turn-error', ...error.toJSON() });
      } catch {
        // Redis is gone: BullMQ will retry the job (or fail it) and the next attempt ends the log.
        return { status: 'failed', error: error.toJSON(), terminal: false };
      }
      return { status: 'failed', error: error.toJSON(), terminal: true };
    }
  }
}

/**
 * Awaits every event the writer holds, riding out Redis refusing them (`redis_unavailable`: a
 * Cluster master failing over, a restart) for up to `retryMs`: a failed batch stays queued in
 * the writer and flush() sends it again — the publish script's seq fence makes a re-send land
 * once. Backs off 100 ms doubling to 1 s. Any other refusal, or Redis still refusing at the
 * deadline, is thrown as it came.
 */
async function outlastRedis(writer: TurnWriter<TurnEvent>, retryMs: number): Promise<void> {
  const deadline = Date.now() + retryMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    try {
      await writer.flush();
      return;
    } catch (err) {
      if (!(err instanceof TurnStreamError && err.code === 'redis_unavailable') || Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
