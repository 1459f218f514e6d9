import type { CatalogEntry } from '@turnpool/protocol';
import type { QuotaStatus } from '@turnpool/quota';
import type { LiveModelFigures } from '@turnpool/turn-store/client';
import { formatMs, formatNumber } from '../format.ts';

interface ModelRow {
  id: string;
  catalog: CatalogEntry | undefined;
  live: LiveModelFigures | undefined;
  quotas: QuotaStatus[];
}

/** Catalog entries and live figures by model id, models with live figures first. */
function modelRows(catalog: CatalogEntry[], live: LiveModelFigures[], quotas: QuotaStatus[]): ModelRow[] {
  const ids = [...new Set([...live.map((m) => m.modelId), ...catalog.map((m) => m.id)])];
  const liveById = new Map(live.map((m) => [m.modelId, m]));
  const catalogById = new Map(catalog.map((m) => [m.id, m]));
  return ids.map((id) => ({
    id,
    catalog: catalogById.get(id),
    live: liveById.get(id),
    // A quota key is `<region>/<model or profile id>`.
    quotas: quotas.filter((q) => q.quotaKey.slice(q.quotaKey.indexOf('/') + 1) === id),
  }));
}

function quotaUse(qs: QuotaStatus[]): string {
  if (qs.length === 0) return '—';
  return qs
    .map((q) => {
      const parts = [`${q.quotaKey.split('/')[0]}: ${formatNumber(q.tokensToday)} tokens today`];
      if (q.configured.tokensPerDay) parts[0] += ` of ${formatNumber(q.configured.tokensPerDay)}`;
      if (q.configured.rpm) parts.push(`${formatNumber(q.configured.rpm)} rpm`);
      if (q.configured.tpm) parts.push(`${formatNumber(q.configured.tpm)} tpm`);
      if (q.learnedConcurrency !== null) parts.push(`concurrency ${q.learnedConcurrency}`);
      return parts.join(', ');
    })
    .join('; ');
}

/** Models: their limits, availability marks, live figures and quota use. */
export function ModelsPanel(props: {
  live: LiveModelFigures[] | null;
  windowMinutes: number | null;
  catalog: CatalogEntry[] | null;
  catalogError: string | null;
  quotas: QuotaStatus[] | null;
}) {
  const rows = modelRows(props.catalog ?? [], props.live ?? [], props.quotas ?? []);
  return (
    <section aria-labelledby="models-title" class="panel">
      <h2 id="models-title">Models</h2>
      <p class="hint">Live figures over the last {props.windowMinutes ?? '…'} minutes. Quota use from the fleet's admission state.</p>
      {props.catalogError && <p class="error">catalog: {props.catalogError}</p>}
      <div class="table-wrap">
        <table data-testid="models-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Availability</th>
              <th scope="col">Context / max out</th>
              <th scope="col">Running / waiting</th>
              <th scope="col">TTFT p50 / p95</th>
              <th scope="col">Output tok/s</th>
              <th scope="col">Throttles</th>
              <th scope="col">Quota use</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const unavailable = r.live?.unavailable === true || r.catalog?.available === false;
              return (
                <tr key={r.id} data-model-id={r.id} data-available={unavailable ? 'no' : 'yes'}>
                  <td>
                    <span class="model-id">{r.id}</span>
                    {r.catalog?.name && <span class="model-name">{r.catalog.name}</span>}
                  </td>
                  <td>
                    {unavailable ? <span class="mark mark-unavailable">unavailable</span> : <span class="mark mark-ok">available</span>}
                  </td>
                  <td>
                    {formatNumber(r.catalog?.contextWindow)} / {formatNumber(r.catalog?.maxTokens)}
                  </td>
                  <td>{r.live ? `${r.live.running} / ${r.live.waiting}` : '—'}</td>
                  <td>{r.live ? `${formatMs(r.live.ttftP50Ms)} / ${formatMs(r.live.ttftP95Ms)}` : '—'}</td>
                  <td>{r.live ? r.live.outputTokensPerSecond.toFixed(1) : '—'}</td>
                  <td>{r.live ? r.live.throttles : '—'}</td>
                  <td>{quotaUse(r.quotas)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
