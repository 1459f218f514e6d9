import type { ConsoleSummary } from '@turnpool/turn-store/client';

/** What a feed subscriber receives: a summary's SSE frame (shared text), or the read's failure. */
export type FeedDelivery = { frame: string } | { error: Error };

interface Poller {
  listeners: Set<(d: FeedDelivery) => void>;
  last: string | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * One Redis read set per interval for all feed subscribers of a dispatcher: a poller per
 * `intervalMs` reads the summary, encodes its frame once and hands the same text to every
 * subscriber; it runs while it has subscribers and stops with the last one. A new subscriber
 * gets the poller's latest frame at once (at most one interval old), or the first read's.
 */
export function createSummaryFeed(read: () => Promise<ConsoleSummary>) {
  const pollers = new Map<number, Poller>();

  const poll = async (intervalMs: number, p: Poller): Promise<void> => {
    let delivery: FeedDelivery;
    try {
      delivery = { frame: `event: summary\ndata: ${JSON.stringify(await read())}\n\n` };
      p.last = delivery.frame;
    } catch (err) {
      delivery = { error: err as Error };
      p.last = undefined;
    }
    for (const l of [...p.listeners]) l(delivery);
    // The next read starts an interval after this one ended: reads never overlap.
    if (p.listeners.size > 0 && pollers.get(intervalMs) === p) {
      p.timer = setTimeout(() => void poll(intervalMs, p), intervalMs);
      p.timer.unref();
    } else if (pollers.get(intervalMs) === p) pollers.delete(intervalMs);
  };

  return {
    /** Subscribes to the summaries of one interval; returns the function that unsubscribes. */
    subscribe(intervalMs: number, listener: (d: FeedDelivery) => void): () => void {
      let p = pollers.get(intervalMs);
      if (!p) {
        p = { listeners: new Set([listener]), last: undefined, timer: undefined };
        pollers.set(intervalMs, p);
        void poll(intervalMs, p);
      } else {
        p.listeners.add(listener);
        if (p.last !== undefined) listener({ frame: p.last });
      }
      const poller = p;
      return () => {
        poller.listeners.delete(listener);
        if (poller.listeners.size === 0 && pollers.get(intervalMs) === poller) {
          clearTimeout(poller.timer);
          pollers.delete(intervalMs);
        }
      };
    },
    /** Pollers running now (tests: one per interval, gone with the last subscriber). */
    get pollers(): number {
      return pollers.size;
    },
    /** Stops every poller (dispatcher close). */
    close(): void {
      for (const p of pollers.values()) clearTimeout(p.timer);
      pollers.clear();
    },
  };
}

export type SummaryFeed = ReturnType<typeof createSummaryFeed>;
