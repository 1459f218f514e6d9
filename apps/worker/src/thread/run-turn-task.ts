import { ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { buildConverseRequest, classifyBedrockError, mapConverseStream } from '@turnpool/bedrock';
import { TurnError, isTerminalEvent, redisKeys, type TurnEvent, type TurnSummary } from '@turnpool/protocol';
import { createTurnWriter, lastTurnEvent, TurnStreamError, type TurnWriter } from '@turnpool/turn-stream';
import { movableErrorCodes, type TurnTask, type TurnTaskResult } from '../turn-task.ts';
import { Watchdog } from '../watchdog.ts';
import { threadData } from './thread-data.ts';
import { threadCancels, threadLabel, threadRedis, threadRuntimeClient } from './thread-resources.ts';

export { closeThreadResources } from './thread-resources.ts';

/** The outcome an already-ended turn had, so a stalled-then-restarted job does not run twice. */
function resultOf(event: TurnEvent): TurnTaskResult | undefined {
  if (event.type === 'turn-end') {
    const { type: _type, turnId: _turnId, attempt: _attempt, seq: _seq, ts: _ts, ...summary } = event;
    return { status: 'succeeded', summary };
  }
  if (event.type === 'turn-cancelled') return { status: 'cancelled', by: event.by };
  if (event.type === 'turn-error') return { status: 'failed', error: { code: event.code, message: event.message, retryable: event.retryable }, terminal: true };
  return undefined;
}

/** Yields the stream's events and tells the watchdog about each one. */
async function* watched(stream: AsyncIterable<ConverseStreamOutput>, dog: Watchdog): AsyncGenerator<ConverseStreamOutput> {
  for await (const event of stream) {
    dog.chunk();
    yield event;
  }
}

function toTurnError(err: unknown, signal: AbortSignal, modelId: string): TurnError {
  // A watchdog's abort reason says why the stream broke, whatever the stream then threw.
  if (signal.aborted && signal.reason instanceof TurnError) return signal.reason;
  if (err instanceof TurnStreamError) {
    return new TurnError('service_unavailable', `Redis did not take the turn's events: ${err.message}`, { retryable: err.retryable, cause: err });
  }
  return classifyBedrockError(err, { signal, modelId });
}

/**
 * Runs one attempt of one turn (the piscina task; inline mode calls it on the main thread):
 * publish `turn-retry` (when an earlier attempt published anything) and `turn-start`, stream
 * ConverseStream through the mapper into the turn's Redis stream, end with exactly one
 * terminal event — or, for a retryable failure that BullMQ will retry, with none.
 */
export async function runTurnTask(task: TurnTask): Promise<TurnTaskResult> {
  const { options: o } = threadData();
  const { turnId, request, model } = task.data;
  const redis = threadRedis();
  const keys = redisKeys(o.keyPrefix);

  // One round trip (both commands in flight together) before Bedrock is called: the turn's
  // newest event (a finished turn is not run again; a retry continues its attempt and seq)
  // and the cancel flag (a turn cancelled just before it was picked up).
  const [prev, cancelledBy] = await Promise.all([
    lastTurnEvent(redis, o.keyPrefix, turnId),
    redis.get(keys.turnCancelFlag(turnId)),
  ]);
  if (prev && isTerminalEvent(prev)) return resultOf(prev) as TurnTaskResult;

  // Admission's own events (the turn waited, or moved to a fallback) are not an attempt: the
  // first run after them continues the attempt, unless BullMQ retried a failed one meanwhile.
  const admissionOnly = prev !== undefined && (prev.type === 'turn-waiting' || prev.type === 'turn-fallback') && task.bullAttempt === 1;
  const writer: TurnWriter<TurnEvent> = await createTurnWriter({
    redis, keyPrefix: o.keyPrefix, turnId, attempt: prev ? prev.attempt + (admissionOnly ? 0 : 1) : 1, ttlSeconds: o.streamTtlSeconds, lastEvent: prev ?? null,
  });
  const controller = new AbortController();
  const unregister = threadCancels(task.cancelChannel).register(turnId, controller);
  const dog = new Watchdog(controller, o.timeouts);
  let outputPublished = false;
  let pending: Promise<unknown> = Promise.resolve();
  try {
    if (cancelledBy !== null) {
      await writer.write({ type: 'turn-cancelled', by: cancelledBy });
      return { status: 'cancelled', by: cancelledBy };
    }
    if (prev && !admissionOnly) {
      void writer.write({ type: 'turn-retry', reason: 'a previous attempt did not finish; drop its partial output' }).catch(() => {});
    }
    void writer.write({ type: 'turn-start', model: model.ref, modelId: model.modelId, region: model.region, worker: threadLabel() }).catch(() => {});

    const input = buildConverseRequest(request, model, o.guardrail === undefined ? {} : { guardrail: o.guardrail });
    const client = await threadRuntimeClient(model.region);
    const startedAt = Date.now();
    const out = await client.send(new ConverseStreamCommand(input), { abortSignal: controller.signal });
    if (!out.stream) throw new TurnError('upstream_unavailable', 'Bedrock answered without an event stream.');
    dog.chunk();
    let summary: TurnSummary | undefined;
    for await (const body of mapConverseStream(watched(out.stream, dog), { startedAt, prices: model.cost, modelId: model.modelId, signal: controller.signal })) {
      if (body.type === 'turn-end') {
        const { type: _t, ...rest } = body;
        summary = rest;
        break;
      }
      outputPublished = true;
      pending = writer.write(body);
      pending.catch(() => {});
    }
    dog.stop();
    if (!summary) throw new TurnError('upstream_unavailable', 'The Bedrock stream ended without a result.');
    await pending;
    await writer.write({ type: 'turn-end', ...summary });
    return { status: 'succeeded', summary };
  } catch (err) {
    dog.stop();
    if (err instanceof TurnStreamError && err.code === 'turn_ended') {
      // Another attempt or host ended this turn while we ran (a stalled job run twice, a late
      // replayed write): its terminal event stands, and this attempt adds nothing after it.
      const last = await lastTurnEvent(redis, o.keyPrefix, turnId);
      const ended = last ? resultOf(last) : undefined;
      if (ended) return ended;
    }
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    if (reason && typeof reason === 'object' && (reason as { kind?: string }).kind === 'cancel') {
      const by = String((reason as { by?: unknown }).by ?? 'api');
      await writer.write({ type: 'turn-cancelled', by }).catch(() => {});
      return { status: 'cancelled', by };
    }
    const error = toTurnError(err, controller.signal, model.modelId);
    // Nothing published yet and admission can act (wait again, or move to the next model): hand it back.
    if (!outputPublished && ((task.throttleWaits && error.code === 'rate_limited') || (task.hasFallback && movableErrorCodes.has(error.code)))) {
      await writer.flush().catch(() => {});
      return { status: 'failed', error: error.toJSON(), terminal: false };
    }
    const retry = error.retryable && !task.isFinalAttempt && (!outputPublished || o.retryAfterOutput);
    if (retry) {
      await writer.flush().catch(() => {});
      return { status: 'failed', error: error.toJSON(), terminal: false };
    }
    try {
      await writer.write({ type: 'turn-error', ...error.toJSON() });
    } catch {
      // Redis is gone: BullMQ will retry the job (or fail it) and the next attempt ends the stream.
      return { status: 'failed', error: error.toJSON(), terminal: false };
    }
    return { status: 'failed', error: error.toJSON(), terminal: true };
  } finally {
    dog.stop();
    unregister();
    controller.abort({ kind: 'done' });
  }
}
