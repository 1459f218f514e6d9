import type { Cluster, Redis } from 'ioredis';

/** What a hub delivers to one subscription. */
export interface ChannelListener {
  /** A message published to the channel. */
  onMessage(message: string): void;
  /** The connection came back after a drop: messages may have been lost meanwhile. */
  onReconnect(): void;
}

/** Reference-counted channel subscriptions on one subscriber connection. */
export interface ChannelHub {
  /** Resolves once Redis confirmed the SUBSCRIBE; returns the function that removes this listener. */
  subscribe(channel: string, listener: ChannelListener): Promise<() => Promise<void>>;
  /** Channels with at least one listener. */
  readonly channels: number;
}

interface Entry {
  listeners: Set<ChannelListener>;
  ready: Promise<unknown>;
}

const hubs = new WeakMap<Redis | Cluster, ChannelHub>();

/**
 * The hub of a subscriber connection (one per connection, created on first use), so many
 * subscribeTurn() calls can share a provided subscriber: the first listener of a channel sends
 * SUBSCRIBE, the last one to leave sends UNSUBSCRIBE.
 *
 * On a Redis Cluster connection (created with `shardedSubscribers`) the channels are shard
 * channels: SSUBSCRIBE / SUNSUBSCRIBE, delivered as `smessage` by the master of the channel's
 * slot (the writer SPUBLISHes, publish-batch-script.ts). When that master goes away (failover,
 * slot migration) ioredis moves the subscription to the slot's new master and emits
 * `subscribersReady`; listeners are then told to read the stream, as after a reconnect, so
 * what was published meanwhile is not lost.
 */
export function channelHub(subscriber: Redis | Cluster): ChannelHub {
  const existing = hubs.get(subscriber);
  if (existing) return existing;
  const entries = new Map<string, Entry>();
  const sharded = subscriber.isCluster;
  let readyBefore = subscriber.status === 'ready';
  subscriber.on(sharded ? 'smessage' : 'message', (channel: string, message: string) => {
    const entry = entries.get(channel);
    if (entry) for (const l of entry.listeners) l.onMessage(message);
  });
  const notifyReconnect = () => {
    for (const e of entries.values()) for (const l of e.listeners) l.onReconnect();
  };
  if (sharded) {
    // A shard subscriber lost or moved: whatever its old node published since is in the streams.
    subscriber.on('subscribersReady', notifyReconnect);
    subscriber.on('-subscriber', notifyReconnect);
  }
  subscriber.on('ready', () => {
    // ioredis emits 'ready' before it re-sends SUBSCRIBE; a PING sent on the next tick is
    // answered after those, so listeners read the stream only once live delivery is back.
    if (readyBefore)
      process.nextTick(() => {
        subscriber.ping().then(notifyReconnect, notifyReconnect);
      });
    readyBefore = true;
  });
  const hub: ChannelHub = {
    get channels() {
      return entries.size;
    },
    async subscribe(channel, listener) {
      let entry = entries.get(channel);
      if (!entry) {
        const created: Entry = { listeners: new Set(), ready: sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel) };
        created.ready.catch(() => {
          if (entries.get(channel) === created) entries.delete(channel);
        });
        entries.set(channel, created);
        entry = created;
      }
      entry.listeners.add(listener);
      try {
        await entry.ready;
      } catch (err) {
        entry.listeners.delete(listener);
        throw err;
      }
      const joined = entry;
      return async () => {
        if (!joined.listeners.delete(listener) || joined.listeners.size > 0) return;
        if (entries.get(channel) === joined) entries.delete(channel);
        // While reconnecting the UNSUBSCRIBE waits in ioredis's offline queue: do not wait for it.
        // A failed UNSUBSCRIBE means the connection is gone, and its subscriptions with it.
        const done = (sharded ? subscriber.sunsubscribe(channel) : subscriber.unsubscribe(channel)).catch(() => {});
        if (subscriber.status === 'ready') await done;
      };
    },
  };
  hubs.set(subscriber, hub);
  return hub;
}
