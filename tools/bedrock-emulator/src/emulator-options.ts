import type { Logger } from '@turnpool/protocol';
import type { FaultKind } from './fault-kinds.ts';
import type { ModelQuota } from './model-quota.ts';

/** Options of {@link startEmulator}. Every field is optional; the defaults make a fast, strict emulator. */
export interface EmulatorOptions {
  /** TCP port. @defaultValue 0 (a free port; read it from the handle) */
  port?: number;
  /** Interface to bind. @defaultValue '127.0.0.1' (loopback only) */
  host?: string;
  /**
   * Serve HTTPS (HTTP/2 by ALPN, HTTP/1.1 otherwise) with a self-signed certificate made at start
   * for localhost, 127.0.0.1, ::1 and `host` (the `openssl` CLI must be installed). Clients trust
   * `handle.tls.cert` (the SDK request handler's `ca`, or a file named by NODE_EXTRA_CA_CERTS), so a
   * bench pays the TLS handshake real Bedrock costs. @defaultValue false (cleartext h2c + HTTP/1.1)
   */
  tls?: boolean;
  /** Delay between `messageStart` and the first content delta (Converse: before the answer). @defaultValue 50 */
  ttftMs?: number;
  /** Output pacing; 0 = as fast as possible. @defaultValue 500 */
  tokensPerSecond?: number;
  /** Tokens (words) per `contentBlockDelta`. @defaultValue 3 */
  tokensPerChunk?: number;
  /** Add the `p` padding member real Bedrock puts in event payloads. @defaultValue true */
  padding?: boolean;
  /** Probability (0..1) that a runtime call gets a random fault from `faultKinds`. @defaultValue 0 */
  faultRate?: number;
  /** Which faults `faultRate` picks from. @defaultValue {@link defaultFaultKinds} (HTTP 429/500/503, the four retryable-looking stream exceptions, 'cut') */
  faultKinds?: FaultKind[];
  /** Length of a random 'stall' fault, in ms. @defaultValue 5000 */
  stallMs?: number;
  /** Seed of the random source behind `faultRate` and padding lengths. @defaultValue random */
  seed?: number;
  /** JSON file `{ modelSummaries, inferenceProfileSummaries }` replacing the built-in catalog. @defaultValue built-in fixture */
  catalogFile?: string;
  /** Model or profile ids whose invocation answers 403 AccessDeniedException. @defaultValue [] */
  disabledModels?: string[];
  /** Answer 403 AccessDeniedException to runtime/control calls without SigV4 or Bearer auth. @defaultValue true */
  requireAuth?: boolean;
  /** Error for a well-formed but unknown model id (real Bedrock answers ValidationException). @defaultValue 'ResourceNotFoundException' */
  unknownModelError?: 'ResourceNotFoundException' | 'ValidationException';
  /** Largest accepted request body. @defaultValue 26214400 (25 MiB) */
  maxBodyBytes?: number;
  /**
   * Account quotas by model id or inference profile id (each a separate budget, as on Bedrock), applied per
   * region; a call over budget answers 429 ThrottlingException before its stream. Setting them (at start, by
   * `configure()` or `POST /_emulator/config`) replaces the whole table and starts every bucket full.
   * @defaultValue {} (no quota: nothing is throttled)
   */
  quotas?: Record<string, ModelQuota>;
  /** Clock of the quota buckets, in ms; tests inject one to refill buckets without sleeping. Fixed at start. @defaultValue Date.now */
  now?: () => number;
  /** Request lines at debug, the emulator's own failures at error (pino fits). @defaultValue none (the emulator is silent) */
  logger?: Logger;
}

/** The options after defaults were applied. */
export type ResolvedEmulatorOptions = Required<Omit<EmulatorOptions, 'catalogFile' | 'logger' | 'seed'>> &
  Pick<EmulatorOptions, 'catalogFile' | 'logger'> & { seed: number };

export const defaultFaultKinds: readonly FaultKind[] = [
  'throttling',
  'service-unavailable',
  'internal-server',
  'model-not-ready',
  'stream-model-error',
  'stream-throttling',
  'stream-internal-server',
  'stream-service-unavailable',
  'cut',
];

export function defaultEmulatorOptions(): ResolvedEmulatorOptions {
  return {
    port: 0,
    host: '127.0.0.1',
    tls: false,
    ttftMs: 50,
    tokensPerSecond: 500,
    tokensPerChunk: 3,
    padding: true,
    faultRate: 0,
    faultKinds: [...defaultFaultKinds],
    stallMs: 5000,
    seed: Math.floor(Math.random() * 2 ** 31),
    disabledModels: [],
    requireAuth: true,
    unknownModelError: 'ResourceNotFoundException',
    maxBodyBytes: 25 * 1024 * 1024,
    quotas: {},
    now: Date.now,
  };
}
