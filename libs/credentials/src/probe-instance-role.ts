import { nonEmpty } from './aws-file-paths.ts';

/** Default time budget for the whole IMDS probe (token PUT + role GET), in ms. */
export const defaultImdsTimeoutMs = 300;

const inFlight = new Map<string, Promise<string | null>>();

/** The IMDS base URL: AWS_EC2_METADATA_SERVICE_ENDPOINT, else the IPv4 / IPv6 link-local address. */
export function imdsEndpoint(env: NodeJS.ProcessEnv): string {
  const explicit = nonEmpty(env['AWS_EC2_METADATA_SERVICE_ENDPOINT']);
  if (explicit !== undefined) return explicit.replace(/\/+$/, '');
  return env['AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE']?.toLowerCase() === 'ipv6'
    ? 'http://[fd00:ec2::254]'
    : 'http://169.254.169.254';
}

/**
 * The EC2 instance role name, or null when there is none (not on EC2, IMDS unreachable,
 * no role attached). One probe per endpoint per process: concurrent and later callers share
 * the first call's promise, so a fleet of callers makes exactly one token PUT and one role
 * GET (field note 4: no probe storm). IMDSv2 first; a 403/404/405 on the token falls back to
 * an IMDSv1 GET within the same time budget.
 */
export function probeInstanceRole(env: NodeJS.ProcessEnv, timeoutMs = defaultImdsTimeoutMs): Promise<string | null> {
  const endpoint = imdsEndpoint(env);
  let probe = inFlight.get(endpoint);
  if (probe === undefined) {
    probe = runProbe(endpoint, timeoutMs);
    inFlight.set(endpoint, probe);
  }
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
      method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' }, signal,
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
