import type { TurnEvent } from '@turnpool/protocol';
import type { TurnClient } from '@turnpool/turn-store/client';
import type { StreamTiming } from './direct-stream.ts';

/** One pooled turn as its subscriber saw it. */
export interface PooledTiming extends StreamTiming {
  turnId: string;
  /** Per text chunk: arrival (Date.now) minus the worker's publish stamp `ts`, ms. */
  lagMs: number[];
  /** Arrival of each text chunk, performance.now() (absolute, for windowed rates). */
  chunkAbs: number[];
  /** Date.now() of the request start, and the worker's stamp on `turn-start` (queue + pickup time = the difference). */
  startedAtMs: number;
  turnStartTs: number | undefined;
  /** Date.now() when the POST's 202 was read, and when the SSE response's headers arrived (HTTP path only). */
  postAnsweredMs?: number;
  sseOpenMs?: number;
  /** Text-delta seqs that arrived twice or more. */
  duplicates: number;
  /** True when the event seqs were exactly 1..n. */
  seqContiguous: boolean;
  terminal: string | undefined;
}

/** Accumulates one turn's events (shared by the turn-client and the SSE paths). */
export class TurnTrace {
  readonly chunkAt: number[] = [];
  readonly chunkAbs: number[] = [];
  readonly lagMs: number[] = [];
  private readonly seen = new Set<number>();
  private readonly textSeqs = new Set<number>();
  private lastSeq = 0;
  duplicates = 0;
  contiguous = true;
  terminal: string | undefined;
  error: string | undefined;
  turnStartTs: number | undefined;
  postAnsweredMs: number | undefined;
  sseOpenMs: number | undefined;
  readonly startedAtMs = Date.now();

  constructor(readonly t0: number) {}

  add(e: Pick<TurnEvent, 'type' | 'seq' | 'ts'> & { code?: string; message?: string }): void {
    const now = performance.now();
    if (this.seen.has(e.seq)) {
      this.duplicates++;
      return;
    }
    this.seen.add(e.seq);
    if (e.seq !== this.lastSeq + 1) this.contiguous = false;
    this.lastSeq = e.seq;
    if (e.type === 'turn-start') this.turnStartTs ??= e.ts;
    if (e.type === 'text-delta') {
      this.textSeqs.add(e.seq);
      this.chunkAt.push(now - this.t0);
      this.chunkAbs.push(now);
      this.lagMs.push(Date.now() - e.ts);
    } else if (e.type === 'turn-end' || e.type === 'turn-error' || e.type === 'turn-cancelled') {
      this.terminal = e.type;
      if (e.type !== 'turn-end') this.error = `${e.code ?? e.type}: ${e.message ?? ''}`.slice(0, 200);
    }
  }

  finish(turnId: string): PooledTiming {
    return {
      turnId,
      ttftMs: this.chunkAt[0] ?? Number.NaN,
      totalMs: performance.now() - this.t0,
      chunkAt: this.chunkAt,
      chunkAbs: this.chunkAbs,
      startedAtMs: this.startedAtMs,
      turnStartTs: this.turnStartTs,
      ...(this.postAnsweredMs === undefined ? {} : { postAnsweredMs: this.postAnsweredMs }),
      ...(this.sseOpenMs === undefined ? {} : { sseOpenMs: this.sseOpenMs }),
      chunks: this.textSeqs.size,
      lagMs: this.lagMs,
      duplicates: this.duplicates,
      seqContiguous: this.contiguous && this.terminal !== undefined,
      terminal: this.terminal,
      ...(this.error === undefined && this.terminal === undefined
        ? { error: 'no terminal event' }
        : this.error === undefined
          ? {}
          : { error: this.error }),
    };
  }
}

/** Submits through the turn client (what a gateway library does) and follows the turn to its end. */
export async function submitAndFollow(client: TurnClient, request: object, signal?: AbortSignal): Promise<PooledTiming> {
  const trace = new TurnTrace(performance.now());
  let turnId = '';
  try {
    turnId = (await client.submitTurn(request)).turnId;
    for await (const e of client.subscribeTurn(turnId, { signal })) trace.add(e as TurnEvent & { code?: string; message?: string });
  } catch (err) {
    trace.error = (err as Error).message.slice(0, 200);
  }
  return trace.finish(turnId);
}

/**
 * The full HTTP path: POST /v1/turns, then GET the events as SSE (what an HTTP client of the
 * dispatcher sees), parsed frame by frame as bytes arrive.
 */
export async function postAndFollowSse(baseUrl: string, request: object, signal?: AbortSignal): Promise<PooledTiming> {
  const trace = new TurnTrace(performance.now());
  let turnId = '';
  try {
    const res = await fetch(`${baseUrl}/v1/turns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal,
    });
    const body = (await res.json()) as { turnId?: string; error?: { message: string } };
    trace.postAnsweredMs = Date.now();
    if (res.status !== 202 || !body.turnId) throw new Error(`POST /v1/turns answered ${res.status}: ${body.error?.message ?? ''}`);
    turnId = body.turnId;
    const sse = await fetch(`${baseUrl}/v1/turns/${turnId}/events`, { signal });
    if (!sse.ok || !sse.body) throw new Error(`GET events answered ${sse.status}`);
    trace.sseOpenMs = Date.now();
    const decoder = new TextDecoder();
    let buf = '';
    for await (const bytes of sse.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(bytes, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) !== -1) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (!data || frame.startsWith(':')) continue;
        const e = JSON.parse(data.slice(6)) as TurnEvent & { code?: string; message?: string };
        if (typeof e.seq === 'number') trace.add(e);
      }
      if (trace.terminal) break;
    }
  } catch (err) {
    trace.error = (err as Error).message.slice(0, 200);
  }
  return trace.finish(turnId);
}
