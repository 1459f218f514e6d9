export type DiscoveryErrorCode =
  'discovery_access_denied' | 'discovery_unavailable' | 'discovery_timeout' | 'redis_unavailable' | 'invalid_discovery_config';

/** A discovery failure a person can act on: `code` to branch on, `message` says what to check. */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  readonly code: DiscoveryErrorCode;
  readonly retryable: boolean;

  constructor(code: DiscoveryErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable ?? (code !== 'invalid_discovery_config' && code !== 'discovery_access_denied');
  }

  toJSON(): { code: DiscoveryErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}
