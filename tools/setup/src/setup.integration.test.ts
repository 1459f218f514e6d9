import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pingRedis } from '../setup.mjs';

const setup = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../setup.mjs');
const run = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, [setup, '--run', 'redis-url'], {
    env: { ...process.env, REDIS_URL: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('setup: finding or starting Redis (real processes)', () => {
  it('uses REDIS_URL when it answers', () => {
    const r = run({ REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  });

  it('refuses a REDIS_URL that does not answer, in one line naming it', () => {
    const r = run({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^turnpool: REDIS_URL does not answer PING \(ECONNREFUSED\)/)]);
  });

  it('starts a redis-server on a free port when nothing answers locally, and stops it afterwards', async () => {
    const r = run({ TURNPOOL_SETUP_LOCAL_REDIS: 'redis://127.0.0.1:1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/started redis-server at redis:\/\/127\.0\.0\.1:\d+/);
    const url = r.stdout.trim();
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe('redis://127.0.0.1:6379');
    let err: string | null = null;
    for (let i = 0; i < 50 && err === null; i++) {
      err = await pingRedis(url, 300);
      if (err === null) await new Promise((res) => setTimeout(res, 100));
    }
    expect(err).toMatch(/ECONNREFUSED/);
  });

  it('refuses an unknown flag of its own with exit 2 and the usage, before doing anything', () => {
    const r = spawnSync(process.execPath, [setup, '--quick', '--run', 'redis-url'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("turnpool setup: Unknown option '--quick'");
    expect(r.stderr).toContain('Usage: node tools/setup/setup.mjs --run <');
    expect(r.stdout).toBe('');
  });

  it('says in one line what to install when there is no redis-server and installing is off', () => {
    const r = run({
      TURNPOOL_SETUP_LOCAL_REDIS: 'redis://127.0.0.1:1',
      TURNPOOL_REDIS_SERVER: '/nonexistent/redis-server',
      TURNPOOL_SETUP_NO_APT: '1',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^turnpool: Redis is needed and none was found: install redis-server/),
    ]);
  });
});
