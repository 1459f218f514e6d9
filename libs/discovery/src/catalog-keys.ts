/**
 * Redis keys of one catalog: (region, credential identity, filter hash) under the `{prefix}`
 * hash tag, so a Redis Cluster keeps them (and MULTI over them) in one slot.
 */
export function catalogKeys(prefix: string, region: string, identity: string, filterHash: string) {
  const base = `{${prefix}}:catalog:${region}:${identity}:${filterHash}`;
  return {
    /** The catalog JSON (StoredCatalog). */
    value: base,
    /** `SET NX PX` single-flight lock: whoever holds it is asking Bedrock. */
    lock: `${base}:lock`,
    /** Hash modelId -> StoredMark JSON `{reason, until}`: models marked unavailable until `until` or the next refresh. */
    unavailable: `${base}:unavailable`,
    /** The last failed refresh (JSON StoredRefreshError). */
    error: `${base}:error`,
  } as const;
}
