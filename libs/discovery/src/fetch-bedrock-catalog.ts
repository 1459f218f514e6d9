import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { DiscoveryError } from './discovery-error.ts';
import type { RawFoundationModel, RawInferenceProfile } from './map-catalog.ts';

export interface FetchBedrockCatalogOptions {
  /** Abort each Bedrock call after this many ms. @defaultValue 20000 */
  timeoutMs?: number;
  /** Stop paginating inference profiles after this many pages (a hostile endpoint cannot loop us). @defaultValue 50 */
  maxProfilePages?: number;
  /** `maxResults` per ListInferenceProfiles page. @defaultValue 1000 (the API maximum) */
  profilePageSize?: number;
}

export interface RawBedrockCatalog {
  models: RawFoundationModel[];
  profiles: RawInferenceProfile[];
  /** Set when profiles were skipped (AccessDenied on ListInferenceProfiles). */
  warning?: string;
}

/**
 * ListFoundationModels and ListInferenceProfiles (every page) in parallel. AccessDenied on
 * the profiles skips them with a warning (discovery still works, profile-only models are
 * then filtered out); any failure of ListFoundationModels throws a DiscoveryError. The SDK's
 * command module loads on the first fetch, not with this package (a worker host holds a catalog
 * only to mark models unavailable and never fetches).
 */
export async function fetchBedrockCatalog(control: BedrockClient, opts: FetchBedrockCatalogOptions = {}): Promise<RawBedrockCatalog> {
  // `.default`: the SDK is CommonJS, whose module.exports is the namespace's default both in Node
  // and in the CLI's esbuild bundle (which gives a dynamically imported CommonJS module nothing else).
  const sdk = (await import('@aws-sdk/client-bedrock')).default;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxPages = opts.maxProfilePages ?? 50;
  const pageSize = opts.profilePageSize ?? 1000;
  const [models, profiles] = await Promise.allSettled([
    control.send(new sdk.ListFoundationModelsCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) }),
    listAllProfiles(sdk.ListInferenceProfilesCommand, control, timeoutMs, maxPages, pageSize),
  ]);
  if (models.status === 'rejected') throw toDiscoveryError(models.reason, 'ListFoundationModels');
  const result: RawBedrockCatalog = { models: models.value.modelSummaries ?? [], profiles: [] };
  if (profiles.status === 'fulfilled') {
    result.profiles = profiles.value;
  } else if (errorName(profiles.reason) === 'AccessDeniedException') {
    result.warning =
      'inference profiles skipped: bedrock:ListInferenceProfiles is not permitted, so models that run only ' +
      'through a profile are not offered (add the permission, see docs/models.md)';
  } else {
    throw toDiscoveryError(profiles.reason, 'ListInferenceProfiles');
  }
  return result;
}

async function listAllProfiles(
  ListInferenceProfilesCommand: typeof import('@aws-sdk/client-bedrock').ListInferenceProfilesCommand,
  control: BedrockClient,
  timeoutMs: number,
  maxPages: number,
  pageSize: number,
): Promise<RawInferenceProfile[]> {
  const all: RawInferenceProfile[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await control.send(
      new ListInferenceProfilesCommand({ maxResults: pageSize, typeEquals: 'SYSTEM_DEFINED', ...(nextToken ? { nextToken } : {}) }),
      { abortSignal: AbortSignal.timeout(timeoutMs) },
    );
    all.push(...(res.inferenceProfileSummaries ?? []));
    nextToken = res.nextToken ?? undefined;
    if (!nextToken) break;
  }
  return all;
}

function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string' ? err.name : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A Bedrock control-plane failure as a DiscoveryError that says what to check. */
export function toDiscoveryError(err: unknown, operation: string): DiscoveryError {
  const name = errorName(err) ?? 'Error';
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
    return new DiscoveryError(
      'discovery_access_denied',
      `${operation} was denied (${name}): missing bedrock:${operation} permission, or the credentials are not valid ` +
        'for this account/region. See the IAM policy in docs/models.md.',
      { cause: err },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new DiscoveryError(
      'discovery_access_denied',
      `${operation}: no usable AWS credentials (${errorMessage(err)}). Set AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID + ` +
        'AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; run `turnpool credentials` to see what was found.',
      { cause: err },
    );
  }
  return new DiscoveryError(
    'discovery_unavailable',
    `${operation} failed (${name}: ${errorMessage(err).slice(0, 300)}). Check network access to the Bedrock endpoint and the region.`,
    { cause: err, retryable: true },
  );
}
