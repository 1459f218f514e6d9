import { performance } from 'node:perf_hooks';
import { nonEmpty } from './aws-file-paths.ts';
import { imdsProbeBackoffMs } from './imds-probe-backoff.ts';

/** Default time budget for the whole IMDS probe (token PUT + role GET), in ms. */
export const defaultImdsTimeoutMs = 300;

/** What one process knows about one IMDS endpoint. */
interface EndpointState {
  /** The probe running now; every caller shares it (one probe in flight at a time). */
  inFlight?: Promise<string | null>;
  /** The role, once found: kept for the life of the process. */
  role?: string;
  /** Failed probes in a row. */
  failures: number;
  /** No new probe before this time (clock of `now`), after a failure. */
  retryAt: number;
}

const endpoints = new Map<string, EndpointState>();

export interface ProbeInstanceRoleOptions {
  /** Time budget of one probe (token PUT + role GET), ms. @defaultValue 300 */
  timeoutMs?: number;
  /** Clock for the retry backoff (tests move it). @defaultValue performance.now */
  now?: () => number;
}

/** The IMDS base URL: AWS_EC2_METADATA_SERVICE_ENDPOINT, else the IPv4 / IPv6 link-local address. */
export function imdsEndpoint(env: NodeJS.ProcessEnv): string {
  const explicit = nonEmpty(env['AWS_EC2_METADATA_SERVICE_ENDPOINT']);
  if (explicit !== undefined) return explicit.replace(/\/+$/, '');
  return env['AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE']?.toLowerCase() === 'ipv6' ? 'http://[fd00:ec2::254]' : 'http://169.254.169.254';
}

/**
 * The EC2 instance role name, or null when there is none (not on EC2, IMDS unreachable,
 * no role attached). At most one probe per endpoint is in flight per process: concurrent
 * callers share it, so an unreachable IMDS never meets a storm of hundreds of probes at start. A found role is kept for the life of the
 * process; a failed probe is kept only for a backoff (5 s, doubling, capped at 5 min,
 * `imdsProbeBackoffMs`), after which the next caller probes again, so a process that started
 * before its role was attached finds it. IMDSv2 first; a 403/404/405 on the token falls back
 * to an IMDSv1 GET within the same time budget.
 */
export function probeInstanceRole(env: NodeJS.ProcessEnv, opts: ProbeInstanceRoleOptions = {}): Promise<string | null> {
  const endpoint = imdsEndpoint(env);
  const now = opts.now ?? (() => performance.now());
  let state = endpoints.get(endpoint);
  if (state === undefined) {
    state = { failures: 0, retryAt: Number.NEGATIVE_INFINITY };
    endpoints.set(endpoint, state);
  }
  if (state.role !== undefined) return Promise.resolve(state.role);
  if (state.inFlight) return state.inFlight;
  if (now() < state.retryAt) return Promise.resolve(null);
  const known = state;
  // A failed probe is "no instance role" (null): retried after the back-off below.
  const probe = runProbe(endpoint, opts.timeoutMs ?? defaultImdsTimeoutMs)
    .catch(() => null)
    .then((role) => {
      if (role === null) {
        known.failures++;
        known.retryAt = now() + imdsProbeBackoffMs(known.failures);
      } else {
        known.role = role;
      }
      known.inFlight = undefined;
      return role;
    });
  known.inFlight = probe;
  return probe;
}

async function runProbe(endpoint: string, timeoutMs: number): Promise<string | null> {
  let base: URL;
  try {
    base = new URL(endpoint);
  } catch {
    return null;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const headers: Record<string, string> = {};
    const tokenRes = await fetch(new URL('/latest/api/token', base), {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' },
      signal,
    });
    if (tokenRes.ok) {
      headers['x-aws-ec2-metadata-token'] = (await tokenRes.text()).trim();
    } else {
      await tokenRes.body?.cancel();
      if (![403, 404, 405].includes(tokenRes.status)) return null;
    }
    const roleRes = await fetch(new URL('/latest/meta-data/iam/security-credentials/', base), { headers, signal });
    if (!roleRes.ok) {
      await roleRes.body?.cancel();
      return null;
    }
    const role = (await roleRes.text()).split('\n')[0]?.trim() ?? '';
    return /^[\w+=,.@-]{1,128}$/.test(role) ? role : null;
  } catch {
    return null;
  }
}
