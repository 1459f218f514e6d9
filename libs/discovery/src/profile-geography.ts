/**
 * Inference-profile prefixes callable from a region: its geography (`us-*` -> `us`, `eu-*` ->
 * `eu`, `ap-*` -> `apac`, plus `jp` / `au` for the Tokyo/Osaka and Sydney/Melbourne regions,
 * `ca-*` -> `ca`, `us-gov-*` -> `us-gov`) and `global`.
 */
export function geographiesForRegion(region: string): string[] {
  const geos: string[] = [];
  if (region.startsWith('us-gov-')) geos.push('us-gov');
  else if (region.startsWith('us-')) geos.push('us');
  else if (region.startsWith('eu-')) geos.push('eu');
  else if (region.startsWith('ca-')) geos.push('ca', 'us');
  else if (region.startsWith('ap-')) {
    geos.push('apac');
    if (region === 'ap-northeast-1' || region === 'ap-northeast-3') geos.push('jp');
    if (region === 'ap-southeast-2' || region === 'ap-southeast-4') geos.push('au');
  }
  geos.push('global');
  return geos;
}

/** The geography prefix of a profile id (`us.anthropic…` -> `us`), or undefined. */
export function profileGeography(profileId: string): string | undefined {
  const dot = profileId.indexOf('.');
  return dot > 0 ? profileId.slice(0, dot) : undefined;
}
