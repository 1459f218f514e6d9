import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api/api-fetch.ts';
import { readSse } from './api/read-sse.ts';
import type { ConsoleSummary } from '@turnpool/turn-store/client';
import { appendPoint, emptySeries, type FleetSeries } from './fleet-series.ts';

export interface FeedState {
  summary: ConsoleSummary | null;
  /** The charts' points, accumulated from every summary since the page opened. */
  series: FleetSeries;
  /** Why the feed is not connected now (shown in the header), or null while it is. */
  problem: string | null;
}

/**
 * Follows `GET /v1/console/feed` (one summary every 2 s): reconnects 1 s after the server
 * ends it or a read fails, and again with the new key after a 401 was answered.
 */
export function useFeed(authGeneration: number): FeedState {
  const [state, setState] = useState<FeedState>({ summary: null, series: emptySeries(), problem: 'connecting…' });
  useEffect(() => {
    const abort = new AbortController();
    const run = async () => {
      for (let attempt = 0; !abort.signal.aborted; attempt += 1) {
        try {
          for await (const frame of readSse('/v1/console/feed', abort.signal)) {
            if (frame.event === 'stream-error') break;
            if (frame.event !== 'summary') continue;
            const summary = JSON.parse(frame.data) as ConsoleSummary;
            setState((s) => ({ summary, series: appendPoint(s.series, summary), problem: null }));
          }
          if (!abort.signal.aborted) setState((s) => ({ ...s, problem: 'feed ended; reconnecting…' }));
        } catch (err) {
          if (abort.signal.aborted) return;
          // A 401 waits for the key form (this effect re-runs with the new key); other failures retry.
          if (err instanceof ApiError && err.status === 401) {
            setState((s) => ({ ...s, problem: 'API key needed' }));
            return;
          }
          setState((s) => ({ ...s, problem: `feed: ${err instanceof Error ? err.message : String(err)}; reconnecting…` }));
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void run();
    return () => abort.abort();
  }, [authGeneration]);
  return state;
}
