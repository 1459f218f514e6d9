import { copyQuotaStats, type QuotaKeyStats } from './quota-stats.ts';

export const operationNames = [
  'ListFoundationModels',
  'ListInferenceProfiles',
  'GetFoundationModel',
  'GetInferenceProfile',
  'Converse',
  'ConverseStream',
  'CountTokens',
] as const;

export type OperationName = (typeof operationNames)[number];

/** Counters since start or the last reset. */
export interface EmulatorStats {
  /** Requests routed to each operation (errors included). */
  calls: Record<OperationName, number>;
  /**
   * TCP connections accepted (cleartext or TLS). An HTTP/2 client opens one per session, so this
   * counts the client's sessions: the SDK's default handler opens one per ConverseStream call.
   */
  connections: number;
  /** ConverseStream responses being written right now. */
  streamsOpen: number;
  /** Streams the client closed before the emulator finished them. */
  streamsAbortedByClient: number;
  /** Streams that ran to their end (normal or planned in-stream fault). */
  streamsCompleted: number;
  /** Faults injected, by directive or by `faultRate`. */
  faultsInjected: number;
  /** Error responses sent before any stream byte, by error name. */
  errors: Record<string, number>;
  /** Accepted requests by auth scheme ('none' = requireAuth off and no auth header). */
  auth: { sigv4: number; bearer: number; none: number };
  /** Quota admission of Converse(Stream) calls by key: the profile id a call went through, else its model id. */
  quotas: Record<string, QuotaKeyStats>;
}

export function createStats(): EmulatorStats {
  const calls = Object.fromEntries(operationNames.map((n) => [n, 0])) as Record<OperationName, number>;
  return {
    calls,
    connections: 0,
    streamsOpen: 0,
    streamsAbortedByClient: 0,
    streamsCompleted: 0,
    faultsInjected: 0,
    errors: Object.create(null) as Record<string, number>,
    auth: { sigv4: 0, bearer: 0, none: 0 },
    quotas: Object.create(null) as Record<string, QuotaKeyStats>,
  };
}

/** A deep copy for callers (they cannot mutate the live counters). */
export function snapshotStats(s: EmulatorStats): EmulatorStats {
  return { ...s, calls: { ...s.calls }, errors: { ...s.errors }, auth: { ...s.auth }, quotas: copyQuotaStats(s.quotas) };
}
