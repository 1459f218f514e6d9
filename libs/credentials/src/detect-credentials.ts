import { awsFilePaths, nonEmpty } from './aws-file-paths.ts';
import type { CredentialInfo, CredentialSource } from './credential-info.ts';
import { CredentialsError } from './credentials-error.ts';
import { hashIdentity, hashSecret } from './hash-identity.ts';
import { defaultImdsTimeoutMs, probeInstanceRole } from './probe-instance-role.ts';
import { profileSection, readAwsIniFile } from './read-aws-ini-file.ts';

export interface DetectCredentialsOptions {
  /** Environment to read. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Probe IMDS for an EC2 instance role when nothing else applies (one probe in flight per
   * process; a found role is kept, a failure only for a 5 s..5 min backoff, so a later call
   * probes again; AWS_EC2_METADATA_DISABLED=true skips it). @defaultValue true
   */
  probe?: boolean;
  /** Home directory for ~/.aws/{config,credentials}. @defaultValue env.HOME, else os.homedir() */
  homeDir?: string;
  /** Time budget of the IMDS probe in ms. @defaultValue 300 */
  imdsTimeoutMs?: number;
  /** Clock for the IMDS retry backoff (tests move it). @defaultValue performance.now */
  now?: () => number;
}

/** Longest accepted values; anything longer is refused (naming the variable, never the value). */
const limits = {
  AWS_BEARER_TOKEN_BEDROCK: 16384,
  AWS_ACCESS_KEY_ID: 256,
  AWS_SECRET_ACCESS_KEY: 1024,
  AWS_SESSION_TOKEN: 8192,
  AWS_PROFILE: 128,
} as const;

/**
 * Which AWS credential source applies, in the documented order:
 * AWS_BEARER_TOKEN_BEDROCK > AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)
 * > AWS_PROFILE (AWS_PROFILE=default counts, the OpenClaw workaround) > the SDK default chain
 * (web identity, a [default] profile in the shared files) > container credentials
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI) > an EC2 instance role (one short
 * IMDS probe) > none. Never returns or throws a secret.
 */
export async function detectCredentials(opts: DetectCredentialsOptions = {}): Promise<CredentialInfo> {
  const env = opts.env ?? process.env;
  const notes: string[] = [];
  const read = (name: keyof typeof limits): string | undefined => {
    const value = nonEmpty(env[name]);
    if (value === undefined) return undefined;
    if (value.length > limits[name] || hasSpaceOrControl(value)) {
      throw new CredentialsError(
        'invalid_credentials',
        name,
        `${name} is not a usable value (over ${limits[name]} characters or contains whitespace/control characters)`,
      );
    }
    return value;
  };

  const token = read('AWS_BEARER_TOKEN_BEDROCK');
  if (token !== undefined) {
    return info('bearer-token', `token-sha256:${hashSecret(token)}`, 'AWS_BEARER_TOKEN_BEDROCK (Bedrock API key)', notes);
  }

  const keyId = read('AWS_ACCESS_KEY_ID');
  const secret = read('AWS_SECRET_ACCESS_KEY');
  read('AWS_SESSION_TOKEN');
  if (keyId !== undefined && secret !== undefined) {
    const temp = nonEmpty(env['AWS_SESSION_TOKEN']) !== undefined ? ' + AWS_SESSION_TOKEN' : '';
    return info('static-keys', keyId, `AWS_ACCESS_KEY_ID ${maskKeyId(keyId)} + AWS_SECRET_ACCESS_KEY${temp}`, notes);
  }
  if (keyId !== undefined || secret !== undefined) {
    notes.push(`${keyId === undefined ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is set without its partner; ignored`);
  }

  const profile = read('AWS_PROFILE');
  if (profile !== undefined) {
    return { ...info('profile', profile, `AWS_PROFILE=${profile}`, notes), profile };
  }

  const chain = detectDefaultChain(env, opts.homeDir);
  if (chain !== undefined)
    return { ...info('default-chain', chain.identity, chain.detail, notes), ...(chain.profile ? { profile: chain.profile } : {}) };

  const relative = nonEmpty(env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']);
  const full = nonEmpty(env['AWS_CONTAINER_CREDENTIALS_FULL_URI']);
  if (relative !== undefined || full !== undefined) {
    const name = relative !== undefined ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
    return info('container', `${name}:${relative ?? full}`, `container credentials (${name})`, notes);
  }

  if (opts.probe === false) {
    notes.push('IMDS probe not requested');
  } else if (env['AWS_EC2_METADATA_DISABLED']?.trim().toLowerCase() === 'true') {
    notes.push('IMDS probe skipped: AWS_EC2_METADATA_DISABLED=true');
  } else {
    const role = await probeInstanceRole(env, {
      timeoutMs: opts.imdsTimeoutMs ?? defaultImdsTimeoutMs,
      ...(opts.now ? { now: opts.now } : {}),
    });
    if (role !== null) return info('instance-role', role, `EC2 instance role ${role} (IMDS)`, notes);
    notes.push('no EC2 instance role found (IMDS did not answer or has no role; probed again after a backoff of 5 s to 5 min)');
  }
  return { source: 'none', present: false, identityHash: hashIdentity('none', ''), detail: 'no AWS credentials found', notes };
}

/** Whitespace or a control character (header injection, a pasted newline). */
function hasSpaceOrControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return /\s/.test(value);
}

function info(source: CredentialSource, identity: string, detail: string, notes: string[]): CredentialInfo {
  return { source, present: true, identityHash: hashIdentity(source, identity), detail, notes };
}

/** `AKIA…WXYZ`: enough to recognise a key id, not the whole id. */
function maskKeyId(keyId: string): string {
  return keyId.length <= 8 ? `${keyId.slice(0, 2)}…` : `${keyId.slice(0, 4)}…${keyId.slice(-4)}`;
}

/** The parts of the SDK default chain that need no network: web identity, a [default] profile in the shared files. */
function detectDefaultChain(
  env: NodeJS.ProcessEnv,
  homeDir: string | undefined,
): { identity: string; detail: string; profile?: string } | undefined {
  const tokenFile = nonEmpty(env['AWS_WEB_IDENTITY_TOKEN_FILE']);
  const roleArn = nonEmpty(env['AWS_ROLE_ARN']);
  if (tokenFile !== undefined && roleArn !== undefined) {
    return { identity: `web-identity:${roleArn}`, detail: `web identity (AWS_ROLE_ARN=${roleArn})` };
  }
  const files = awsFilePaths(env, homeDir);
  const creds = profileSection(readAwsIniFile(files.credentials), 'default', 'credentials');
  const credKeyId = creds?.get('aws_access_key_id');
  if (credKeyId !== undefined && creds?.has('aws_secret_access_key')) {
    return { identity: `default:${credKeyId}`, detail: `[default] in ${files.credentials}`, profile: 'default' };
  }
  const config = profileSection(readAwsIniFile(files.config), 'default', 'config');
  const keys = ['aws_access_key_id', 'role_arn', 'sso_session', 'sso_start_url', 'credential_process', 'web_identity_token_file'];
  if (config !== undefined && keys.some((k) => config.has(k))) {
    return { identity: 'default:config', detail: `[default] in ${files.config}`, profile: 'default' };
  }
  return undefined;
}
