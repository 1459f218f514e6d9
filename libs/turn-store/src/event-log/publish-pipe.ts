import type { Cluster, Redis } from 'ioredis';
import { publishBatchCommand, type TurnBatchArgs, type TurnBatchResult } from './publish-batch-script.ts';

/** Where the turn writers of one connection and key prefix hand their batches. */
export interface PublishPipe {
  /**
   * Calls `done` with the turn's result (or the call's error) once the script call that carried
   * the batch returned. A callback, not a promise: this is per batch, and at live pace a batch
   * is one event.
   */
  send(batch: TurnBatchArgs, done: BatchDone): void;
}

/** The outcome of one batch: `err` when the script call failed, else the turn's result. */
export type BatchDone = (err: unknown, result?: TurnBatchResult) => void;

interface Pending {
  batch: TurnBatchArgs;
  done: BatchDone;
}

const pipes = new WeakMap<Redis | Cluster, Map<string, PublishPipe>>();

/**
 * The pipe of a connection for one key prefix (its hash tag: one Cluster slot) and linger bound,
 * created on first use. Batches of different turns handed in within `lingerMs` of the first one
 * go out together in one script call; the call leaves earlier once they hold `lingerBytes` of
 * event JSON. `lingerMs` 0 waits only for the current tick (the events at hand go together, no
 * timer). Each writer has at most one batch in a call at a time, so a pipe call holds each
 * turn once.
 */
export function publishPipe(redis: Redis | Cluster, keyPrefix: string, lingerMs: number, lingerBytes: number): PublishPipe {
  let byKey = pipes.get(redis);
  if (!byKey) {
    byKey = new Map();
    pipes.set(redis, byKey);
  }
  const id = `${keyPrefix}\n${lingerMs}\n${lingerBytes}`;
  const existing = byKey.get(id);
  if (existing) return existing;

  const publish = publishBatchCommand(redis);
  let pending: Pending[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    scheduled = false;
    const sending = pending;
    pending = [];
    bytes = 0;
    if (sending.length === 0) return;
    publish(sending.map((p) => p.batch)).then(
      (results) => {
        for (let i = 0; i < sending.length; i++) (sending[i] as Pending).done(undefined, results[i] as TurnBatchResult);
      },
      (err: unknown) => {
        for (const p of sending) p.done(err ?? new Error('publish script failed'));
      },
    );
  };

  const pipe: PublishPipe = {
    send(batch, done) {
      pending.push({ batch, done });
      for (const ev of batch.events) bytes += ev.json.length;
      if (bytes >= lingerBytes) {
        flush();
        return;
      }
      if (scheduled) return;
      scheduled = true;
      if (lingerMs === 0) queueMicrotask(flush);
      else timer = setTimeout(flush, lingerMs);
    },
  };
  byKey.set(id, pipe);
  return pipe;
}
