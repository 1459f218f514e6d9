import type { ServerResponse } from 'node:http';

/** The headers of every Server-Sent Events answer (proxies must neither cache nor buffer it). */
export const sseHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-store, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

export interface SseResponseOptions {
  /** A `: keep-alive` comment this often once the headers are written (none while the socket is full). */
  heartbeatMs: number;
  /** Headers besides {@link sseHeaders}. */
  headers?: Record<string, string>;
  /** Write `retry: <ms>` first (the client's reconnect delay). */
  retryMs?: number;
  /**
   * Hold the status line until the first {@link SseResponse.send} or {@link SseResponse.commit}
   * (or {@link SseResponse.end}): until then the caller may still answer otherwise on the raw
   * response (an error status). @defaultValue false
   */
  deferHeaders?: boolean;
  /** Counts open SSE answers: `inc()` at the start, `dec()` when it ends or the client goes away. */
  clients?: { inc(): void; dec(): void };
}

export interface SseResponse {
  /** Aborted when the client goes away before {@link end}: stop the source feeding this answer. */
  readonly signal: AbortSignal;
  /** The status line and headers are written (or queued with the first frames). */
  readonly committed: boolean;
  /** From a write the socket did not take in full until its `drain`: wait with {@link drained}. */
  readonly full: boolean;
  /** Writes status 200 and the headers if not yet, starts the heartbeat and queues `retry:`. */
  commit(): void;
  /**
   * Queues SSE text (whole frames) for one `write` at the end of this tick: frames sent in the
   * same tick reach the socket together. Commits first. Ignored after {@link end} or once the
   * client went away.
   */
  send(text: string): void;
  /** Resolves at once unless {@link full}; else at `drain`, {@link end} or the client going away. */
  drained(): Promise<void>;
  /**
   * Writes what is queued and ends the answer (an uncommitted one still gets its 200 and headers,
   * unless the raw response was answered otherwise or the client is gone); stops the heartbeat.
   * Idempotent.
   */
  end(): void;
}

/**
 * Starts a Server-Sent Events answer on `res` (after Fastify's `reply.hijack()`): headers,
 * keep-alive comments, one socket write per tick, backpressure (`full` until `drain`, so a slow
 * client paces the source and at most one tick's frames go past a full socket buffer), the
 * client going away (`signal`), and the end.
 */
export function openSse(res: ServerResponse, o: SseResponseOptions): SseResponse {
  const abort = new AbortController();
  let committed = false;
  let full = false;
  let done = false;
  let pending = '';
  let heartbeat: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let waiting: Promise<void> | undefined;

  const release = () => {
    full = false;
    const w = wake;
    wake = undefined;
    waiting = undefined;
    w?.();
  };
  const flush = () => {
    const out = pending;
    pending = '';
    if (out !== '' && !done && !res.write(out)) full = true;
  };
  const dispose = () => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    res.off('drain', release);
    res.off('close', onClose);
    o.clients?.dec();
    release();
  };
  const onClose = () => {
    abort.abort();
    pending = '';
    dispose();
  };
  res.on('close', onClose);
  res.on('drain', release);
  o.clients?.inc();

  const sse: SseResponse = {
    signal: abort.signal,
    get committed() {
      return committed;
    },
    get full() {
      return full;
    },
    commit() {
      if (committed || done) return;
      committed = true;
      res.writeHead(200, { ...sseHeaders, ...o.headers });
      heartbeat = setInterval(() => {
        if (!full) sse.send(': keep-alive\n\n');
      }, o.heartbeatMs);
      heartbeat.unref();
      if (o.retryMs !== undefined) sse.send(`retry: ${o.retryMs}\n\n`);
    },
    send(text) {
      if (done) return;
      sse.commit();
      if (pending === '') process.nextTick(flush);
      pending += text;
    },
    drained() {
      if (!full || done) return Promise.resolve();
      return (waiting ??= new Promise<void>((resolve) => (wake = resolve)));
    },
    end() {
      if (done) return;
      if (!committed && !res.headersSent && !abort.signal.aborted) sse.commit();
      flush();
      dispose();
      if (!res.writableEnded) res.end();
    },
  };
  if (!o.deferHeaders) sse.commit();
  return sse;
}

/**
 * The frame that ends a stream the dispatcher could not continue (Redis lost): no `id`, so a
 * client resumes from the last event it got.
 */
export function streamErrorFrame(err: unknown): string {
  const message = String((err as { message?: unknown } | null | undefined)?.message ?? err).slice(0, 200);
  return `event: stream-error\ndata: ${JSON.stringify({ code: 'service_unavailable', message, retryable: true })}\n\n`;
}
