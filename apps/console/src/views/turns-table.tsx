import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/api-fetch.ts';
import type { HostHeartbeat, TurnListItem, TurnPage, TurnState } from '@turnpool/turn-store/client';
import { formatAge, formatMs, formatNumber } from '../format.ts';
import { onLinkClick, turnHref } from '../router.ts';

const states: TurnState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

interface Filters {
  state: string;
  model: string;
  host: string;
  error: string;
}

const noFilters: Filters = { state: '', model: '', host: '', error: '' };

/**
 * The live turns table. Without filters it shows the feed's 50 newest turns (no request of
 * its own); with filters, or on an older page, it asks `GET /v1/turns` at each feed summary.
 */
export function TurnsTable(props: {
  feedTurns: TurnListItem[] | null;
  feedAt: number | null;
  hosts: HostHeartbeat[];
  authGeneration: number;
}) {
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [cursors, setCursors] = useState<string[]>([]); // cursors of the pages before the one shown
  const [page, setPage] = useState<TurnPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const filtered = Object.values(filters).some((v) => v !== '') || cursors.length > 0;

  useEffect(() => {
    if (!filtered) return;
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    const cursor = cursors.at(-1);
    if (cursor) q.set('cursor', cursor);
    let live = true;
    apiJson<TurnPage>(`/v1/turns?${q}`)
      .then((p) => {
        if (!live) return;
        setPage(p);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [filtered, filters, cursors, props.feedAt, props.authGeneration]);

  const rows = filtered ? (page?.turns ?? []) : (props.feedTurns ?? []);
  const now = props.feedAt ?? Date.now();
  const models = [...new Set((props.feedTurns ?? []).map((t) => t.modelId).filter((m): m is string => !!m))].sort();
  const set = (k: keyof Filters) => (e: Event) => {
    setCursors([]);
    setFilters({ ...filters, [k]: (e.target as HTMLInputElement | HTMLSelectElement).value });
  };

  return (
    <section aria-labelledby="turns-title" class="panel">
      <h2 id="turns-title">Turns</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter turns">
        <label>
          State{' '}
          <select name="state" value={filters.state} onChange={set('state')}>
            <option value="">any</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model{' '}
          <select name="model" value={filters.model} onChange={set('model')}>
            <option value="">any</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Host{' '}
          <select name="host" value={filters.host} onChange={set('host')}>
            <option value="">any</option>
            {props.hosts.map((h) => (
              <option key={h.hostId} value={h.hostId}>
                {h.hostId}
              </option>
            ))}
          </select>
        </label>
        <label>
          Error code <input name="error" size={14} value={filters.error} onChange={set('error')} placeholder="rate_limited" />
        </label>
        {filtered && (
          <button
            type="button"
            onClick={() => {
              setFilters(noFilters);
              setCursors([]);
            }}
          >
            Clear
          </button>
        )}
      </form>
      {error && <p class="error">{error}</p>}
      <div class="table-wrap">
        <table class="turns" data-testid="turns-table">
          <thead>
            <tr>
              <th scope="col">Turn</th>
              <th scope="col">State</th>
              <th scope="col">Model</th>
              <th scope="col">Host</th>
              <th scope="col">Age</th>
              <th scope="col">TTFT</th>
              <th scope="col">Tokens in / out</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.turnId} data-turn-id={t.turnId} data-state={t.state}>
                <td>
                  <a href={turnHref(t.turnId)} onClick={(e) => onLinkClick(e, turnHref(t.turnId))}>
                    {t.turnId}
                  </a>
                </td>
                <td>
                  <span class={`state state-${t.state}`}>{t.state}</span>
                </td>
                <td>{t.modelId ?? '—'}</td>
                <td>{t.hostId ?? '—'}</td>
                <td>{formatAge(now - t.submittedAt)}</td>
                <td>{formatMs(t.ttftMs)}</td>
                <td>
                  {formatNumber(t.inputTokens)} / {formatNumber(t.outputTokens)}
                </td>
                <td>{t.errorCode ?? ''}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={8} class="empty">
                  {props.feedTurns === null && !filtered ? 'waiting for the feed…' : 'no turns'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {filtered && (
        <div class="pager">
          <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </button>
          <button type="button" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
            Older
          </button>
        </div>
      )}
      {!filtered && (
        <div class="pager">
          <button type="button" disabled={(props.feedTurns?.length ?? 0) < 50} onClick={() => setCursors([''])}>
            Older turns…
          </button>
        </div>
      )}
    </section>
  );
}
