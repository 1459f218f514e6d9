import { BedrockClient, type BedrockClientConfig } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { resolveSetting } from '@turnpool/config';
import { nonEmpty } from './aws-file-paths.ts';
import type { CredentialInfo } from './credential-info.ts';
import { CredentialsError } from './credentials-error.ts';
import { SharedSessionHttp2Handler } from './shared-session-http2-handler.ts';
import { bedrockEndpoints } from './split-endpoint.ts';

export interface CreateBedrockClientsOptions {
  region: string;
  /**
   * The Bedrock endpoint (the provider's `baseUrl`). @defaultValue env.TURNPOOL_BEDROCK_ENDPOINT,
   * else the SDK's regional endpoint. A real `bedrock-runtime.<region>.amazonaws.com` URL is
   * used as-is for the runtime client and as `bedrock.<region>.amazonaws.com` for the control
   * plane; any other URL (the emulator, a proxy) serves both.
   */
  endpoint?: string;
  credentials: CredentialInfo;
  /** Where secrets are read from (they are not in CredentialInfo). @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * SDK attempts per call. @defaultValue 2 — kept small on purpose: BullMQ owns turn retries,
   * and SDK retries inside BullMQ retries would multiply.
   */
  maxAttempts?: number;
  /**
   * ConverseStream calls share pooled HTTP/2 sessions (see SharedSessionHttp2Handler) instead of a
   * connection each. @defaultValue sharedSettings.bedrockSessionReuse (true)
   */
  sessionReuse?: boolean;
  /** Open streams per shared session. @defaultValue sharedSettings.bedrockStreamsPerSession (32) */
  streamsPerSession?: number;
  /**
   * Certificates (PEM) these clients trust INSTEAD of the system store: the self-signed one of a
   * `tls` emulator in tests and benches. Production leaves it unset (the system store; a private CA
   * goes in NODE_EXTRA_CA_CERTS). Verification is never turned off. @defaultValue undefined
   */
  ca?: string;
}

export interface BedrockClients {
  runtime: BedrockRuntimeClient;
  control: BedrockClient;
  /** The endpoints in use (undefined = the SDK's default for the region). */
  endpoints: { runtime?: string; control?: string };
}

/**
 * Builds the runtime and control-plane clients from one place. The bearer token goes only
 * into these clients, with `authSchemePreference: ['httpBearerAuth']` (a token alone is not
 * enough: the SDK would still pick SigV4); every other source pins SigV4 so that a stray
 * AWS_BEARER_TOKEN_BEDROCK in the process env cannot switch schemes behind the caller's back.
 * Build once per process / thread and reuse: the credential providers cache and refresh.
 */
export function createBedrockClients(opts: CreateBedrockClientsOptions): BedrockClients {
  const env = opts.env ?? process.env;
  const maxAttempts = opts.maxAttempts ?? 2;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw new RangeError(`maxAttempts must be an integer from 1 to 10, got ${String(maxAttempts)}`);
  }
  const endpoints = bedrockEndpoints(opts.endpoint, env);
  const auth = authConfig(opts.credentials, env);
  const common = { region: opts.region, maxAttempts, ...auth };
  const reuse = resolveSetting('bedrockSessionReuse', opts.sessionReuse, 'createBedrockClients option sessionReuse');
  const streams = resolveSetting('bedrockStreamsPerSession', opts.streamsPerSession, 'createBedrockClients option streamsPerSession');
  const tls = opts.ca === undefined ? {} : { ca: opts.ca };
  const h2 = { maxConcurrentStreams: streams, nodeHttp2ConnectOptions: tls };
  return {
    runtime: new BedrockRuntimeClient({
      ...common,
      ...(endpoints.runtime ? { endpoint: endpoints.runtime } : {}),
      requestHandler: reuse ? new SharedSessionHttp2Handler(h2) : new NodeHttp2Handler(h2),
    }),
    control: new BedrockClient({
      ...common,
      ...(endpoints.control ? { endpoint: endpoints.control } : {}),
      ...(opts.ca === undefined ? {} : { requestHandler: new NodeHttpHandler({ httpsAgent: tls }) }),
    }),
    endpoints,
  };
}

type AuthConfig =
  | { token: { token: string }; authSchemePreference: string[] }
  | { credentials: NonNullable<BedrockClientConfig['credentials']>; authSchemePreference: string[] };

function authConfig(info: CredentialInfo, env: NodeJS.ProcessEnv): AuthConfig {
  const sigv4 = ['sigv4'];
  switch (info.source) {
    case 'bearer-token': {
      const token = nonEmpty(env['AWS_BEARER_TOKEN_BEDROCK']);
      if (token === undefined) throw missing('AWS_BEARER_TOKEN_BEDROCK');
      return { token: { token }, authSchemePreference: ['httpBearerAuth'] };
    }
    case 'static-keys': {
      const accessKeyId = nonEmpty(env['AWS_ACCESS_KEY_ID']);
      const secretAccessKey = nonEmpty(env['AWS_SECRET_ACCESS_KEY']);
      if (accessKeyId === undefined) throw missing('AWS_ACCESS_KEY_ID');
      if (secretAccessKey === undefined) throw missing('AWS_SECRET_ACCESS_KEY');
      const sessionToken = nonEmpty(env['AWS_SESSION_TOKEN']);
      return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }, authSchemePreference: sigv4 };
    }
    case 'profile':
      return {
        credentials: fromIni({ profile: info.profile ?? nonEmpty(env['AWS_PROFILE']) ?? 'default', ...fileOptions(env) }),
        authSchemePreference: sigv4,
      };
    default:
      return { credentials: fromNodeProviderChain(fileOptions(env)), authSchemePreference: sigv4 };
  }
}

/** Honour AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE from an injected env, not only process.env. */
function fileOptions(env: NodeJS.ProcessEnv): { filepath?: string; configFilepath?: string } {
  const filepath = nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']);
  const configFilepath = nonEmpty(env['AWS_CONFIG_FILE']);
  return { ...(filepath ? { filepath } : {}), ...(configFilepath ? { configFilepath } : {}) };
}

function missing(name: string): CredentialsError {
  return new CredentialsError('invalid_credentials', name, `${name} is no longer set; detect credentials again`);
}
