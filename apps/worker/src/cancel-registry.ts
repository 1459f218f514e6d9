import { BroadcastChannel } from 'node:worker_threads';

/** A cancel order as it travels from the host's main thread to the thread that owns the turn. */
export interface CancelMessage {
  /** The turn to cancel, or `'*'` for every turn of the host (shutdown after the grace period). */
  turnId: string;
  by: string;
}

/**
 * The turns a thread is running, each with its AbortController, listening on the host's
 * BroadcastChannel. Cancelling through a message (not piscina's task `signal`) aborts only
 * that turn: aborting a piscina task would terminate the thread and every turn on it.
 */
export class CancelRegistry {
  private readonly turns = new Map<string, AbortController>();
  private readonly channel: BroadcastChannel;

  constructor(channelName: string) {
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (ev) => this.onMessage((ev as { data: CancelMessage }).data);
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

  private onMessage(msg: CancelMessage): void {
    if (!msg || typeof msg.turnId !== 'string') return;
    const reason = { kind: 'cancel' as const, by: typeof msg.by === 'string' ? msg.by : 'unknown' };
    if (msg.turnId === '*') {
      for (const c of this.turns.values()) c.abort(reason);
      return;
    }
    this.turns.get(msg.turnId)?.abort(reason);
  }
}
