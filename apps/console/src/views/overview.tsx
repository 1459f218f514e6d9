import type { CatalogEntry } from '@turnpool/protocol';
import type { QuotaStatus } from '@turnpool/quota';
import { useApiData } from '../use-api-data.ts';
import type { FeedState } from '../use-feed.ts';
import { Charts } from './charts.tsx';
import { HostsPanel } from './hosts-panel.tsx';
import { ModelsPanel } from './models-panel.tsx';
import { TurnsTable } from './turns-table.tsx';
import { WaitingPanel } from './waiting-panel.tsx';

/** The console's front page: turns, what waits and why, hosts, models, charts. */
export function Overview({ feed, authGeneration }: { feed: FeedState; authGeneration: number }) {
  const s = feed.summary;
  const tick = s?.at ?? null;
  const quotas = useApiData<{ quotas: QuotaStatus[] }>('/v1/quotas', tick, 4_000, authGeneration);
  const catalog = useApiData<{ models: CatalogEntry[] }>('/v1/models', tick, 30_000, authGeneration);
  return (
    <div class="overview">
      <TurnsTable feedTurns={s?.turns ?? null} feedAt={s?.at ?? null} hosts={s?.hosts ?? []} authGeneration={authGeneration} />
      <div class="grid">
        <WaitingPanel summary={s} quotas={quotas.data?.quotas ?? null} quotasError={quotas.error} />
        <HostsPanel hosts={s?.hosts ?? null} now={s?.at ?? null} />
      </div>
      <ModelsPanel
        live={s?.models ?? null}
        windowMinutes={s?.windowMinutes ?? null}
        catalog={catalog.data?.models ?? null}
        catalogError={catalog.error}
        quotas={quotas.data?.quotas ?? null}
      />
      <Charts series={feed.series} />
    </div>
  );
}
