import type { ProfileSummary } from './catalog.ts';

const geoPrefixes = ['us', 'eu', 'apac', 'global', 'us-gov', 'jp', 'au', 'ca'];

/** The region of a SigV4 `Credential=…/<date>/<region>/bedrock/aws4_request` scope, if any. */
export function regionFromAuthorization(header: string | undefined): string | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\//.exec(header ?? '');
  return m?.[1];
}

/** The geography prefix of system profiles a region sees besides `global.` (us-east-1 -> 'us'). */
export function geographyOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('ap-')) return 'apac';
  return region.split('-')[0] ?? region;
}

/**
 * Whether a caller in `region` sees the profile: `<geo>.` and `global.` ids only (real Bedrock scopes
 * system profiles by region). Without a region (bearer auth) every profile is visible.
 */
export function isProfileVisible(profile: ProfileSummary, region: string | undefined): boolean {
  if (region === undefined) return true;
  const id = profile.inferenceProfileId;
  const prefix = geoPrefixes.filter((g) => id.startsWith(`${g}.`)).sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return true;
  return prefix === 'global' || prefix === geographyOf(region);
}

/** Rewrites the region part of an ARN (`arn:aws:bedrock:<region>:…`) to the caller's region. */
export function localizeArn(arn: string, region: string | undefined): string {
  if (region === undefined) return arn;
  return arn.replace(/^arn:(aws[a-z-]*):bedrock:[a-z0-9-]+:/, `arn:$1:bedrock:${region}:`);
}
