export { buildDispatcher, type DispatcherOptions, type ModelCatalog, type QuotaStatusSource } from './build-dispatcher.ts';
export { startDispatcher, type StartDispatcherOptions, type RunningDispatcher } from './start-dispatcher.ts';
export { apiKeyChecker } from './check-api-key.ts';
export { toApiError, type ApiErrorBody } from './api-error.ts';
