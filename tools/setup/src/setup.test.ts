import { describe, expect, it } from 'vitest';
import { checkNode, parseArgs, pingRedis, resolveChromium } from '../setup.mjs';
import { testRedisUrl } from '@turnpool/testing';

describe('setup: arguments and Node version', () => {
  it('parses --run and passes what follows -- through', () => {
    expect(parseArgs(['--run', 'bench', '--', '--quick'])).toEqual({ name: 'bench', args: ['--quick'] });
    expect(parseArgs(['--run', 'test'])).toEqual({ name: 'test', args: [] });
  });
  it('passes what follows the command name on without a -- too (npm start -- --port 9000)', () => {
    expect(parseArgs(['--run', 'start', '--port', '9000'])).toEqual({ name: 'start', args: ['--port', '9000'] });
    expect(parseArgs(['--run=start'])).toEqual({ name: 'start', args: [] });
  });
  it('refuses unknown or missing commands, prototype keys included', () => {
    expect(parseArgs([]).error).toBe('missing --run <command>');
    expect(parseArgs(['--run', 'deploy']).error).toMatch(/unknown command "deploy"/);
    expect(parseArgs(['--run', '__proto__']).error).toMatch(/unknown command/);
  });
  it('refuses its own unknown flags, a --run without a value and stray arguments instead of ignoring them', () => {
    expect(parseArgs(['--quick', '--run', 'chaos']).error).toMatch(/Unknown option '--quick'/);
    expect(parseArgs(['--run']).error).toMatch(/'--run <value>' argument missing/);
    expect(parseArgs(['start']).error).toMatch(/Unexpected argument 'start'/);
    expect(parseArgs(['--help'])).toEqual({ help: true });
  });
  it('accepts exactly the engines range', () => {
    expect(checkNode('20.19.0')).toBeNull();
    expect(checkNode('22.12.0')).toBeNull();
    expect(checkNode('24.1.0')).toBeNull();
    expect(checkNode('20.18.3')).toMatch(/too old/);
    expect(checkNode('22.11.0')).toMatch(/too old/);
    expect(checkNode('18.20.0')).toMatch(/too old/);
  });
});

describe('setup: pingRedis', () => {
  it('answers null for the test Redis', async () => {
    expect(await pingRedis(testRedisUrl())).toBeNull();
  });
  it('reports a refused port and a bad URL without throwing', async () => {
    expect(await pingRedis('redis://127.0.0.1:1', 500)).toMatch(/ECONNREFUSED/);
    expect(await pingRedis('not a url')).toMatch(/not a valid URL/);
  });
  it('does not print a password from a bad URL', async () => {
    const msg = await pingRedis('redis://user:s3cret@[bad', 200);
    expect(msg).not.toContain('s3cret');
  });
});

describe('setup: resolveChromium (the console browser tests)', () => {
  it('takes TURNPOOL_CHROMIUM when it exists and names it in one line when it does not', () => {
    expect(resolveChromium({ TURNPOOL_CHROMIUM: process.execPath })).toEqual({ path: process.execPath });
    const missing = resolveChromium({ TURNPOOL_CHROMIUM: '/nonexistent/chromium' });
    expect(missing.error).toBe('TURNPOOL_CHROMIUM=/nonexistent/chromium does not exist; install chromium or unset it.');
    expect(missing.path).toBeUndefined();
  });
});
