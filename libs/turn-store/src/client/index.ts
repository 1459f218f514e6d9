export { createTurnClient, type TurnClient, type TurnClientOptions } from './create-turn-client.ts';
export type { ModelResolver } from './model-resolver.ts';
export type { TurnInfo, TurnState } from '../record/turn-info.ts';
export type { SubmitResult } from './submit-result.ts';
export { deriveTurnId } from './derive-turn-id.ts';
export {
  createCatalogModelResolver,
  type CatalogLike,
  type CatalogEntryLike,
  type CatalogModelResolverOptions,
} from './catalog-model-resolver.ts';
export type { TurnListItem, TurnListQuery, TurnPage } from '../record/turn-index.ts';
export type { HostHeartbeat } from '../fleet/host-heartbeat.ts';
export type { ModelWindowFigures } from '../live/model-minutes.ts';
export { liveModelFigures, percentile, type LiveModelFigures, type QuotaFigures } from '../live/live-model-figures.ts';
export type { QueueCounts, ConsoleSummary } from '../live/console-summary.ts';
