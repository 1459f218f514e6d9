import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type OwnRedisServer } from '@turnpool/testing';
import { checkRedisServer } from './check-redis-server.ts';
import { RedisGuardError } from './redis-guard-error.ts';

const connect = (url: string) => {
  const r = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  r.on('error', () => {});
  return r;
};
const guardError = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RedisGuardError);
  return err as RedisGuardError;
};

describe('checkRedisServer (private redis-servers)', () => {
  const servers: OwnRedisServer[] = [];
  const clients: Redis[] = [];
  let plain: Redis;
  let lru: Redis;
  let cluster: Redis;
  let limited: Redis;

  beforeAll(async () => {
    const [a, b, c] = await Promise.all([
      startRedisServer(),
      startRedisServer({ extraArgs: ['--maxmemory-policy', 'allkeys-lru'] }),
      startRedisServer({ extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'] }),
    ]);
    servers.push(a, b, c);
    plain = connect(a.url);
    lru = connect(b.url);
    cluster = connect(c.url);
    await plain.acl('SETUSER', 'noinfo', 'on', '>pw-noinfo', '~*', '+@all', '-info');
    limited = connect(a.url.replace('redis://', 'redis://noinfo:pw-noinfo@'));
    clients.push(plain, lru, cluster, limited);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('passes a noeviction server with a plain prefix and reports what INFO said', async () => {
    const info = await checkRedisServer(plain, { keyPrefix: 'turnpool' });
    expect(info).toMatchObject({ maxmemoryPolicy: 'noeviction', clusterEnabled: false });
  });

  it('refuses an evicting maxmemory-policy, naming the policy and the fix', async () => {
    const err = await guardError(checkRedisServer(lru));
    expect(err.code).toBe('redis_eviction_policy');
    expect(err.field).toBe('maxmemory-policy');
    expect(err.message).toMatch(/"allkeys-lru".*"noeviction".*CONFIG SET maxmemory-policy noeviction/);
  });

  it('refuses, on a Cluster node, a prefix that would spread a turn over slots, and a one-node URL with the fix', async () => {
    const err = await guardError(checkRedisServer(cluster, { keyPrefix: '' }));
    expect(err.code).toBe('redis_cluster_key_prefix');
    expect(err.message).toMatch(/Cluster.*redis\.keyPrefix/);
    // The reported symptom was "redis_unavailable: … EXECABORT" and "check that Redis is running".
    const node = await guardError(checkRedisServer(cluster, { keyPrefix: 'shop-a' }));
    expect(node.code).toBe('redis_cluster_node');
    expect(node.field).toBe('redis.url');
    expect(node.message).toMatch(/Redis Cluster node.*redis\+cluster:\/\//);
    expect(node.message).not.toMatch(/running/);
  });
  it('refuses a braced prefix on a single Redis too (it would break when moved to a Cluster)', async () => {
    const err = await guardError(checkRedisServer(plain, { keyPrefix: '}x' }));
    expect(err.code).toBe('redis_key_prefix');
  });

  it('skips the policy check with a warning when the ACL user may not run INFO', async () => {
    const warnings: string[] = [];
    const info = await checkRedisServer(limited, { logger: { warn: (_o, m) => warnings.push(m ?? '') } });
    expect(info).toBeUndefined();
    expect(warnings.join()).toMatch(/maxmemory-policy check.*\+info/);
  });
});
