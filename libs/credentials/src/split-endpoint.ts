import { nonEmpty } from './aws-file-paths.ts';
import { CredentialsError } from './credentials-error.ts';

/**
 * The endpoints Bedrock clients built with `endpoint` (else env.TURNPOOL_BEDROCK_ENDPOINT) call:
 * what createBedrockClients uses, and what a caller can check before it builds them (a bad URL
 * throws here, naming `endpoint`). Empty = the SDK's regional endpoints.
 */
export function bedrockEndpoints(endpoint: string | undefined, env: NodeJS.ProcessEnv): { runtime?: string; control?: string } {
  return splitEndpoint(nonEmpty(endpoint) ?? nonEmpty(env['TURNPOOL_BEDROCK_ENDPOINT']));
}

/** Runtime + control endpoints from one base URL (see CreateBedrockClientsOptions.endpoint). */
export function splitEndpoint(base: string | undefined): { runtime?: string; control?: string } {
  if (base === undefined) return {};
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new CredentialsError('invalid_credentials', 'endpoint', `Bedrock endpoint ${JSON.stringify(base.slice(0, 200))} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CredentialsError('invalid_credentials', 'endpoint', `Bedrock endpoint must be http(s), got ${url.protocol}`);
  }
  const runtime = base.replace(/\/+$/, '');
  const control = /^bedrock-runtime(-fips)?\./.test(url.hostname) ? runtime.replace('//bedrock-runtime', '//bedrock') : runtime;
  return { runtime, control };
}
