import { BroadcastChannel } from 'node:worker_threads';
import { parseCancelMessage, type CancelMessage, type CancelReason } from '@turnpool/turn-store';

/**
 * The turns a thread is running, each with its AbortController, listening on the host's
 * BroadcastChannel for the host's fan-out of {@link CancelMessage}s (`turnId` `'*'` = every turn
 * of the host, at shutdown). Cancelling through a message (not piscina's task `signal`) aborts
 * only that turn: aborting a piscina task would terminate the thread and every turn on it.
 */
export class CancelRegistry {
  private readonly turns = new Map<string, AbortController>();
  private readonly channel: BroadcastChannel;

  constructor(channelName: string) {
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (ev) => this.onMessage((ev as { data: unknown }).data);
    // Never keep a thread (or the inline host) alive just for the channel.
    (this.channel as unknown as { unref?: () => void }).unref?.();
  }

  /** Tracks a running turn; the returned function forgets it (call it in `finally`). */
  register(turnId: string, controller: AbortController): () => void {
    this.turns.set(turnId, controller);
    return () => {
      if (this.turns.get(turnId) === controller) this.turns.delete(turnId);
    };
  }

  get size(): number {
    return this.turns.size;
  }

  close(): void {
    this.channel.close();
  }

  private onMessage(data: unknown): void {
    const msg: CancelMessage | undefined = parseCancelMessage(data);
    if (!msg) return;
    const reason: CancelReason = { kind: 'cancel', by: msg.by };
    if (msg.turnId === '*') {
      for (const c of this.turns.values()) c.abort(reason);
      return;
    }
    this.turns.get(msg.turnId)?.abort(reason);
  }
}
