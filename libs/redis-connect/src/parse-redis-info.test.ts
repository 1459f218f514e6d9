import { describe, expect, it } from 'vitest';
import { parseRedisInfo } from './parse-redis-info.ts';

describe('parseRedisInfo', () => {
  it('reads maxmemory_policy, cluster_enabled and redis_version from INFO text', () => {
    const text =
      '# Memory\r\nused_memory:1\r\nmaxmemory_policy:allkeys-lru\r\n\r\n# Cluster\r\ncluster_enabled:1\r\n# Server\r\nredis_version:7.0.15\r\n';
    expect(parseRedisInfo(text)).toEqual({ maxmemoryPolicy: 'allkeys-lru', clusterEnabled: true, version: '7.0.15' });
  });
  it('leaves what INFO did not say undefined / false', () => {
    expect(parseRedisInfo('garbage\n:::\n# x')).toEqual({ maxmemoryPolicy: undefined, clusterEnabled: false, version: undefined });
  });
});
