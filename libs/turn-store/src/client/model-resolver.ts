import type { ResolvedModel, TurnRequest } from '@turnpool/protocol';

/**
 * Turns a request's model ref (or the configured default) into the model to call. Throws a
 * `TurnError` (model_not_found, model_unavailable, model_not_streaming…) when it cannot.
 * A seam: the dispatcher plugs the shared catalog in; tests plug in a fixed table.
 */
export type ModelResolver = (ref: string | undefined, request: TurnRequest) => Promise<ResolvedModel>;
