import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { TurnError, turnErrorFromData, type TurnEndEvent, type TurnEvent } from '@turnpool/protocol';
import type { TurnClient } from '@turnpool/turn-store/client';
import type { CompatDialect } from '../compat/compat-dialect.ts';
import type { CompatTranslator } from '../compat/compat-translator.ts';
import { openSse } from './sse-response.ts';

/** Headers every compat answer about a turn carries: its id (also as the clients' request id). */
export function turnHeaders(turnId: string): Record<string, string> {
  return { 'x-turnpool-turn-id': turnId, 'x-request-id': turnId, 'request-id': turnId };
}

/** Sends an error in the dialect's shape (JSON), with `x-should-retry` so the official clients retry only what may succeed. */
export function sendCompatError(reply: FastifyReply, dialect: CompatDialect, err: unknown, headers: Record<string, string> = {}) {
  const { status, body, retryable } = dialect.toError(err);
  return reply
    .code(status)
    .headers({ ...headers, 'cache-control': 'no-store', 'x-should-retry': String(retryable) })
    .send(body);
}

function writeJsonError(res: ServerResponse, dialect: CompatDialect, err: unknown, headers: Record<string, string>): void {
  const { status, body, retryable } = dialect.toError(err);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-should-retry': String(retryable),
  });
  res.end(JSON.stringify(body));
}

/** The terminal event's failure as a TurnError (`undefined` for `turn-end`). */
export function terminalFailure(event: TurnEvent): TurnError | undefined {
  if (event.type === 'turn-error') return turnErrorFromData({ code: event.code, message: event.message, retryable: event.retryable });
  if (event.type === 'turn-cancelled') return new TurnError('cancelled', `The turn was cancelled (by ${event.by}).`);
  return undefined;
}

/**
 * Waits for a turn's end: its `turn-end` and the model that ran it, or the failure. Closing
 * `signal` (the client went away) stops waiting, never the turn.
 */
export async function awaitTurn(
  client: TurnClient,
  turnId: string,
  signal: AbortSignal,
): Promise<{ end: TurnEndEvent; modelId: string | undefined } | { failure: TurnError }> {
  let modelId: string | undefined;
  for await (const event of client.subscribeTurn(turnId, { signal })) {
    if (event.type === 'turn-start') modelId = event.modelId;
    if (event.type === 'turn-end') return { end: event, modelId };
    const failure = terminalFailure(event);
    if (failure) return { failure };
  }
  return { failure: new TurnError('service_unavailable', 'The client went away before the turn ended.') };
}

export interface PipeTurnOptions {
  client: TurnClient;
  reply: FastifyReply;
  dialect: CompatDialect;
  translator: CompatTranslator;
  turnId: string;
  /** Resume point: frames of events with a larger seq are sent (0 = the whole answer). */
  after: number;
  /**
   * Hold the response's status until the answer's first output (or its end): a turn refused
   * before any output (rate limited, model unavailable…) then answers with the error's HTTP
   * status, which the official clients turn into their error classes. @defaultValue false
   */
  deferHeaders: boolean;
  heartbeatMs: number;
  headers: Record<string, string>;
  /** Counts open SSE answers (the dispatcher's `turnpool_sse_clients`). */
  clients?: { inc(): void; dec(): void };
}

/**
 * Streams a turn to an HTTP response in a client API's SSE format. The turn's events are read
 * from the start (so the translator knows the state at any resume point) and frames for events
 * up to `after` are skipped. The socket paces the writes (drain); a closed connection stops
 * only this reader, never the turn.
 */
export async function pipeTurn(o: PipeTurnOptions): Promise<void> {
  o.reply.hijack();
  const res = o.reply.raw;
  const sse = openSse(res, { heartbeatMs: o.heartbeatMs, headers: o.headers, deferHeaders: o.deferHeaders, clients: o.clients });
  let preluded = o.after === 0;
  try {
    for await (const event of o.client.subscribeTurn(o.turnId, { signal: sse.signal })) {
      if (event.seq <= o.after) {
        o.translator.push(event);
        continue;
      }
      const prelude = preluded ? [] : o.translator.resumePrelude(o.after);
      preluded = true;
      const out = o.translator.push(event);
      if (!sse.committed && out.failure && prelude.length === 0) {
        writeJsonError(res, o.dialect, out.failure, o.headers);
        return;
      }
      const frames = [...prelude, ...out.frames];
      if (frames.length > 0) {
        sse.send(frames.join(''));
        if (sse.full) await sse.drained();
        if (sse.signal.aborted) return;
      }
      if (out.terminal) break;
    }
    // A resume past the end, or a closed connection: nothing more to send.
  } catch (err) {
    if (!sse.signal.aborted) {
      const failure = new TurnError(
        'service_unavailable',
        `The answer's stream broke: ${String((err as Error).message ?? err).slice(0, 200)}. Resume it by turn id.`,
      );
      if (sse.committed) sse.send(o.dialect.failureFrame(failure));
      else writeJsonError(res, o.dialect, failure, o.headers);
    }
  } finally {
    sse.end();
  }
}
