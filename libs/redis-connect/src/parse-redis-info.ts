/** The fields of `INFO` turnpool's startup guards read. */
export interface RedisServerInfo {
  /** `maxmemory_policy`, e.g. `noeviction`; undefined when INFO did not say. */
  maxmemoryPolicy: string | undefined;
  /** `cluster_enabled:1`. */
  clusterEnabled: boolean;
  /** `redis_version`. */
  version: string | undefined;
}

/** Parses the text of `INFO` (any sections) into the fields the guards need. */
export function parseRedisInfo(text: string): RedisServerInfo {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) fields.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return {
    maxmemoryPolicy: fields.get('maxmemory_policy'),
    clusterEnabled: fields.get('cluster_enabled') === '1',
    version: fields.get('redis_version'),
  };
}
