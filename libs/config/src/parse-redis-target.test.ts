import { describe, expect, it } from 'vitest';
import { parseRedisTarget, RedisUrlError } from './parse-redis-target.ts';
import { redisUrlSchema } from './schema-helpers.ts';

describe('parseRedisTarget', () => {
  it('leaves a one-node URL as it is', () => {
    expect(parseRedisTarget('redis://u:p@h:6380/2')).toEqual({ kind: 'single', url: 'redis://u:p@h:6380/2' });
    expect(parseRedisTarget('rediss://h')).toEqual({ kind: 'single', url: 'rediss://h' });
  });

  it('reads seed nodes, credentials, TLS, natMap and dnsLookup of a cluster URL', () => {
    expect(parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      tls: false,
      username: undefined,
      password: undefined,
      natMap: {},
      dnsLookup: 'system',
    });
    const tls = parseRedisTarget(
      'rediss+cluster://app:p%40ss@clustercfg.x.cache.amazonaws.com:6379?natMap=10.0.0.5:6379=127.0.0.1:7005&dnsLookup=passthrough',
    );
    expect(tls).toMatchObject({ tls: true, username: 'app', password: 'p@ss', dnsLookup: 'passthrough' });
    expect(tls.kind === 'cluster' && tls.natMap).toEqual({ '10.0.0.5:6379': { host: '127.0.0.1', port: 7005 } });
    expect(parseRedisTarget('rediss+cluster://h:1')).toMatchObject({ dnsLookup: 'passthrough' });
  });

  it('refuses what it cannot use, saying what is wrong and never echoing the password', () => {
    const bad: [string, RegExp][] = [
      ['', /empty/],
      ['http://h:1', /must start with redis:\/\//],
      ['redis+cluster://', /at least one seed node/],
      ['redis+cluster://h', /not host:port/],
      ['redis+cluster://h:99999', /not host:port/],
      ['redis+cluster://h:1/0', /no database number/],
      ['redis+cluster://h:1?db=2', /unknown .*parameter "db"/],
      ['redis+cluster://h:1?dnsLookup=x', /dnsLookup must be/],
      ['redis+cluster://u:s3cret@h:1?natMap=a', /natMap/],
    ];
    for (const [url, re] of bad) {
      let err: unknown;
      try {
        parseRedisTarget(url);
      } catch (e) {
        err = e;
      }
      expect(err, url).toBeInstanceOf(RedisUrlError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toMatch(/s3cret/);
    }
  });

  it('is the rule of the config key redis.url', () => {
    expect(redisUrlSchema().safeParse('redis+cluster://a:1,b:2').success).toBe(true);
    expect(redisUrlSchema().safeParse('redis://h:6379').success).toBe(true);
    const r = redisUrlSchema().safeParse('redis+cluster://a');
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/not host:port/);
  });
});
