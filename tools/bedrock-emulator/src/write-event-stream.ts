import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamStep } from './build-stream-events.ts';
import type { EmulatorState } from './emulator-state.ts';
import { inStreamExceptions, isInStreamExceptionName, isPreStreamErrorName, preStreamErrors } from './error-catalogue.ts';
import { errorFrame, eventFrame, exceptionFrame, paddingOf } from './event-frames.ts';
import type { EmulatorResponse } from './http-types.ts';
import type { FaultPlan } from './plan-faults.ts';
import { destroyResponse, dropConnection } from './destroy-response.ts';

export interface StreamContext {
  state: EmulatorState;
  res: EmulatorResponse;
  steps: StreamStep[];
  faults: FaultPlan;
  startedAt: number;
  requestId: string;
  /** Called after each planned event went out whole (quota settlement counts what was produced). */
  onSent?: (step: StreamStep) => void;
}

/**
 * Writes the planned events as event-stream frames (one `res.write` per frame), with pacing, the planned
 * in-stream fault, and early exit when the client goes away (counted as `streamsAbortedByClient`).
 */
export async function writeEventStream(ctx: StreamContext): Promise<void> {
  const { state, res, steps, faults } = ctx;
  const stats = state.stats;
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': ctx.requestId });
  stats.streamsOpen++;
  let ended = false;
  let aborted = false;
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      if (!ended) aborted = true;
      resolve();
    }),
  );
  const stop = (): void => {
    ended = true;
    destroyResponse(res);
  };
  state.streams.add(stop);
  const pad = <T extends object>(p: T): T => (state.options.padding ? { ...p, p: paddingOf(1 + Math.floor(state.random() * 62)) } : p);
  // once(res, 'drain') rejects when the response errors; `closed` settles then too, so wait for that.
  const write = async (frame: Uint8Array): Promise<void> => {
    if (!(res as { write(c: Uint8Array): boolean }).write(frame)) await Promise.race([once(res, 'drain').catch(() => undefined), closed]);
  };
  try {
    for (let i = 0; i <= steps.length && !aborted && !ended; i++) {
      const f = faults.inStream;
      if (f !== undefined && f.after === i) {
        if (f.stallMs !== undefined) await Promise.race([sleep(f.stallMs), closed]);
        else {
          ended = true;
          if (f.reset) {
            destroyResponse(res);
            return;
          }
          if (f.drop) {
            await dropConnection(res);
            return;
          }
          if (f.cut) {
            const next = steps[i] ?? { type: 'messageStop', payload: { stopReason: 'end_turn' } };
            const frame = eventFrame(next.type, pad(next.payload));
            res.end(frame.subarray(0, Math.floor(frame.length / 2)));
          } else res.end(inStreamErrorFrame(f.error ?? 'InternalServerException'));
          stats.streamsCompleted++;
          return;
        }
        if (aborted) break;
      }
      const step = steps[i];
      if (step === undefined) break;
      if (step.delayMs > 0) await Promise.race([sleep(step.delayMs), closed]);
      if (aborted || ended) break;
      const payload = step.type === 'metadata' ? { ...step.payload, metrics: { latencyMs: Date.now() - ctx.startedAt } } : step.payload;
      await write(eventFrame(step.type, pad(payload)));
      ctx.onSent?.(step);
    }
    if (!aborted && !ended) {
      ended = true;
      res.end();
      stats.streamsCompleted++;
    }
  } finally {
    state.streams.delete(stop);
    stats.streamsOpen--;
    if (aborted) stats.streamsAbortedByClient++;
  }
}

/** A modeled exception frame for the five stream exceptions, an unmodeled `error` frame for any other name. */
function inStreamErrorFrame(name: string): Uint8Array {
  if (isInStreamExceptionName(name)) {
    const e = inStreamExceptions[name];
    const payload =
      name === 'ModelStreamErrorException'
        ? { message: e.message, originalStatusCode: 500, originalMessage: 'invalid sequence as part of ToolUse' }
        : { message: e.message };
    return exceptionFrame(e.member, payload);
  }
  return errorFrame(name, isPreStreamErrorName(name) ? preStreamErrors[name].message : `Injected error ${name}.`);
}
