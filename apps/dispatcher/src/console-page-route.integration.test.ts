import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { startDispatcher, type RunningDispatcher } from './start-dispatcher.ts';

// The route serves whatever build it is given; a small stand-in build keeps this test off Vite
// (the console's own browser test serves the real build).
const catalog = { list: async () => ({ entries: [], stale: false, fetchedAt: 1 }) };
const apiKey = 'console-page-test-key-7Yp2';

describe('the console at /console (real Redis, loopback HTTP)', () => {
  const prefix = uniquePrefix('console-page');
  const dir = mkdtempSync(path.join(tmpdir(), 'console-build-'));
  const empty = mkdtempSync(path.join(tmpdir(), 'console-none-'));
  const logLines: string[] = [];
  let redis: Redis;
  let d: RunningDispatcher;
  let unbuilt: RunningDispatcher;

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/app-1a2b.js"></script>');
    writeFileSync(path.join(dir, 'assets/app-1a2b.js'), 'console.log("page")');
    writeFileSync(path.join(dir, 'assets/app-1a2b.css'), 'body{}');
    redis = new Redis(testRedisUrl());
    const common = { redisUrl: testRedisUrl(), keyPrefix: prefix, catalog, region: 'us-east-1', port: 0, apiKeys: [apiKey] };
    d = await startDispatcher({ ...common, consoleDir: dir });
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          logLines.push(chunk.toString());
          cb();
        },
      }),
    );
    unbuilt = await startDispatcher({ ...common, consoleDir: empty, logger });
  });
  afterAll(async () => {
    await d?.close();
    await unbuilt?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it('serves the page and its assets without a key (they hold no data), while the API still wants one', async () => {
    const page = await fetch(`${d.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('/console/assets/app-1a2b.js');

    const js = await fetch(`${d.url}/console/assets/app-1a2b.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("page")');
    expect((await fetch(`${d.url}/console/assets/app-1a2b.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');

    expect((await fetch(`${d.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${d.url}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } })).status).toBe(200);
  });

  it('answers the page for client-side routes (a shared link to a turn), 404 for a missing asset, and redirects /console', async () => {
    const deep = await fetch(`${d.url}/console/turns/t-123`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<!doctype html>');
    const missing = await fetch(`${d.url}/console/assets/old-hash.js`);
    expect(missing.status).toBe(404);
    const bare = await fetch(`${d.url}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('never reads a file outside the build: an escaping path gets the page, not the file', async () => {
    for (const p of [
      '/console/..%2f..%2fpackage.json',
      '/console/assets/..%2f..%2f..%2fpackage.json',
      '/console/%2e%2e/%2e%2e/package.json',
    ]) {
      const res = await fetch(`${d.url}${p}`);
      const body = await res.text();
      expect(body).not.toContain('"name"');
      // 401: the URL parser resolved the dots before sending (/package.json, an API path wanting a key).
      expect([200, 401, 404]).toContain(res.status);
    }
  });

  it('without a build the dispatcher still starts, says so in one log line, and /console is a 404', async () => {
    const notBuilt = logLines.filter((l) => l.includes('console not built'));
    expect(notBuilt).toHaveLength(1);
    expect(notBuilt[0]).toContain('npx nx build console');
    const res = await fetch(`${unbuilt.url}/console/`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${unbuilt.url}/healthz`)).status).toBe(200);
  });
});
