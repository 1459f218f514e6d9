import { TurnError, errorCodes, isErrorCode, type ApiErrorBody } from '@turnpool/protocol';

export type { ApiErrorBody };

/** Status and body for any thrown value; unknown errors become `internal` without leaking their text. */
export function toApiError(err: unknown): { status: number; body: ApiErrorBody } {
  if (err instanceof TurnError) return { status: err.status, body: { error: err.toJSON() } };
  const e = err as { code?: unknown; field?: unknown; message?: unknown; retryable?: unknown; statusCode?: unknown };
  if (e && typeof e === 'object' && e.code === 'invalid_last_event_id') {
    return {
      status: 400,
      body: { error: { code: 'invalid_request', message: String(e.message), retryable: false, field: 'Last-Event-ID' } },
    };
  }
  if (e && typeof e === 'object' && isErrorCode(e.code)) {
    const code = e.code;
    return {
      status: errorCodes[code].status,
      body: {
        error: {
          code,
          message: typeof e.message === 'string' ? e.message : errorCodes[code].message,
          retryable: errorCodes[code].retryable,
        },
      },
    };
  }
  if (e && typeof e === 'object' && (e as { name?: unknown }).name === 'DiscoveryError') {
    // The model catalog could not be read (Bedrock or Redis unreachable, no cached copy yet):
    // the caller can retry later; the message says what to check.
    return {
      status: 503,
      body: { error: { code: 'service_unavailable', message: `The model catalog is unavailable: ${String(e.message)}`, retryable: true } },
    };
  }
  if (isRedisDown(err)) {
    return {
      status: 503,
      body: { error: { code: 'service_unavailable', message: errorCodes.service_unavailable.message, retryable: true } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: errorCodes.internal.message, retryable: false } } };
}

/**
 * ioredis / BullMQ failures that mean "Redis is not reachable right now" — on one node, and on a
 * Cluster while a master fails over (CLUSTERDOWN / TRYAGAIN until the replica is promoted, and
 * ioredis's "Too many Cluster redirections" when its retries ran out meanwhile; READONLY from a
 * demoted master; the slots cache that no node answered; a replica still loading).
 */
export function isRedisDown(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return (
    /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable|enableOfflineQueue|Command timed out|max retries per request|ETIMEDOUT|connect ETIMEDOUT/i.test(
      msg,
    ) ||
    /^(?:ReplyError: )?(?:CLUSTERDOWN|TRYAGAIN|READONLY|LOADING|MASTERDOWN)\b|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available/.test(
      msg,
    ) ||
    ['MaxRetriesPerRequestError', 'ClusterAllFailedError'].includes((err as { name?: string })?.name ?? '')
  );
}
