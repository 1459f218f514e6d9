import { readSse } from '@turnpool/turn-store/web';

/** What one emulated console page did while it was open. */
export interface ConsoleClientStats {
  /** Status of `GET /console/` when the page opened (404 when the dispatcher has no console build). */
  pageStatus: number | undefined;
  /** `event: summary` frames read from the feed. */
  summaries: number;
  /** Feed connections opened (1 + reconnects). */
  feedConnects: number;
  /** JSON reads by path (without the query). */
  reads: Record<string, number>;
  /** Failed reads or feed connections (status or message), at most 20 kept. */
  errors: string[];
}

export interface ConsoleClientOptions {
  /** Turns table filters (state, model, host, error): with any set the page asks `GET /v1/turns` at every summary. */
  filters?: Record<string, string>;
}

export interface ConsoleClient {
  stats: ConsoleClientStats;
  close(): Promise<void>;
}

/** The overview's reads paced by the feed (apps/console/src/views/overview.tsx: useApiData's `everyMs`). */
const pacedReads = [
  { path: '/v1/quotas', everyMs: 4_000 },
  { path: '/v1/models', everyMs: 30_000 },
] as const;

/**
 * What the console's overview page does against a dispatcher, without a browser: loads
 * `/console/`, keeps `GET /v1/console/feed` open (the server's default interval, as use-feed.ts
 * does; reconnects 1 s after it ends), parses every summary, reads `/v1/quotas` and
 * `/v1/models` at once and then on a summary once their interval passed (use-api-data.ts), and
 * with filters set asks `GET /v1/turns?limit=50&…` at every summary (turns-table.tsx).
 */
export function openConsoleClient(baseUrl: string, opts: ConsoleClientOptions = {}): ConsoleClient {
  const abort = new AbortController();
  const stats: ConsoleClientStats = { pageStatus: undefined, summaries: 0, feedConnects: 0, reads: {}, errors: [] };
  const fail = (what: string) => {
    if (stats.errors.length < 20) stats.errors.push(what.slice(0, 200));
  };
  const last = new Map<string, number>();
  const read = async (path: string) => {
    try {
      const res = await fetch(`${baseUrl}${path}`, { signal: abort.signal });
      await res.json();
      const key = path.split('?')[0] as string;
      stats.reads[key] = (stats.reads[key] ?? 0) + 1;
      if (!res.ok) fail(`${key} answered ${res.status}`);
    } catch (err) {
      if (!abort.signal.aborted) fail(`${path}: ${(err as Error).message}`);
    }
  };
  const filtered = Object.values(opts.filters ?? {}).some((v) => v !== '');
  const turnsQuery = `/v1/turns?${new URLSearchParams({ limit: '50', ...opts.filters }).toString()}`;
  // On a summary (or at mount, tick null): the paced reads whose interval passed; the filtered table's read.
  const onTick = () => {
    const now = Date.now();
    for (const r of pacedReads) {
      const at = last.get(r.path);
      if (at !== undefined && now - at < r.everyMs) continue;
      last.set(r.path, now);
      void read(r.path);
    }
    if (filtered) void read(turnsQuery);
  };
  const follow = async () => {
    while (!abort.signal.aborted) {
      try {
        stats.feedConnects++;
        const res = await fetch(`${baseUrl}/v1/console/feed`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`feed answered ${res.status}`);
        // The page's own parser (apps/console reads the feed with it).
        for await (const frame of readSse(res.body)) {
          if (frame.event !== 'summary') continue;
          JSON.parse(frame.data);
          stats.summaries++;
          onTick();
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        fail(`feed: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const page = fetch(`${baseUrl}/console/`, { signal: abort.signal })
    .then(async (res) => {
      stats.pageStatus = res.status;
      await res.arrayBuffer();
    })
    .catch((err: unknown) => {
      if (!abort.signal.aborted) fail(`/console/: ${(err as Error).message}`);
    });
  onTick();
  const running = follow();
  return {
    stats,
    async close() {
      abort.abort();
      await Promise.allSettled([page, running]);
    },
  };
}
