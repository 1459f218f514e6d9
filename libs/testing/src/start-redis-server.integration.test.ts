import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type OwnRedisServer } from './start-redis-server.ts';

describe('startRedisServer', () => {
  let srv: OwnRedisServer | undefined;
  afterAll(async () => srv?.close());

  it('runs a private server that can be stopped and started again with its data (AOF)', async () => {
    srv = await startRedisServer({ appendOnly: true });
    expect(srv.port).not.toBe(6379);
    const r = new Redis(srv.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    await r.connect();
    await r.set('k', 'v');
    r.disconnect();
    await srv.stop();
    await srv.start();
    const r2 = new Redis(srv.url);
    expect(await r2.get('k')).toBe('v');
    r2.disconnect();
  });
});
