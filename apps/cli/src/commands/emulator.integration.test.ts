import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { sourceExecArgv } from '@turnpool/testing';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.ts';
import { main } from '../main.ts';
import { runEmulator } from './emulator.ts';
import { turnpoolBin } from '../turnpool-bin.ts';

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: {},
    cwd: process.cwd(),
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

describe('turnpool emulator', () => {
  it('prints its options for --help', async () => {
    const io = captureIo();
    expect(await main(['emulator', '--help'], io)).toBe(0);
    expect(io.stdout).toContain('--tokens-per-second');
    expect(io.stdout).toContain('default 8788');
  });

  it.each([
    [['--port', 'abc'], '--port: expected an integer'],
    [['--port', '70000'], '--port: expected an integer in 0..65535'],
    [['--ttft-ms=-5'], '--ttft-ms: expected an integer in 0..600000'],
    [['--ttft-ms', '-5'], "'--ttft-ms"],
    [['--tokens-per-second', 'fast'], '--tokens-per-second: expected a number'],
    [['--tokens-per-chunk', '0'], '--tokens-per-chunk:'],
    [['--fault-rate', '2'], '--fault-rate: expected a number in 0..1'],
    [['--fault-kinds', 'cut,meteor'], '--fault-kinds: unknown fault kind "meteor"'],
    [['--catalog', '/nonexistent/catalog.json'], '--catalog: cannot read'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--port'], "Option '--port <value>' argument missing"],
    [['extra'], 'Unexpected argument'],
    [['--tls-cert', '/tmp/x.pem'], '--tls-cert: only with --tls'],
    [['--quota', 'amazon.nova-micro-v1:0'], '--quota: "amazon.nova-micro-v1:0": expected <model or profile id>=rpm:N,tpm:M'],
    [['--quota', 'amazon.nova-micro-v1:0=rps:5'], '--quota: "amazon.nova-micro-v1:0=rps:5": unknown quota "rps"'],
    [
      ['--quota', 'amazon.nova-micro-v1:0=rpm:1', '--quota', 'amazon.nova-micro-v1:0=tpm:5'],
      '--quota: "amazon.nova-micro-v1:0" given twice',
    ],
    [['--quota', 'amazon.nova-micro-v1:0=rpm:1.5'], '--quota: quotas["amazon.nova-micro-v1:0"].rpm: expected an integer'],
    [
      ['--quota', 'amazon.nova-micro-v9:0=rpm:1'],
      '--quota: quotas["amazon.nova-micro-v9:0"]: "amazon.nova-micro-v9:0" is not a model id or inference profile id of the catalog',
    ],
  ])('%j -> exit 2 naming the flag, with the usage', async (args, message) => {
    const io = captureIo();
    expect(await main(['emulator', ...args], io)).toBe(2);
    expect(io.stderr).toContain(message);
    expect(io.stderr).toContain('Usage: turnpool emulator');
    expect(io.stdout).toBe('');
  });

  it('starts, prints one line with the URL, serves, and closes when stopped', async () => {
    const io = captureIo();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const run = runEmulator(['--port', '0', '--ttft-ms', '0', '--no-padding', '--no-auth'], io, () => stopped);
    for (let i = 0; i < 100 && io.stdout === ''; i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.stdout)?.[1];
    expect(url).toBeDefined();
    expect(io.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const res = await fetch(`${url}/foundation-models`);
    expect(res.status).toBe(200);
    stop();
    expect(await run).toBe(0);
    await expect(fetch(`${url}/foundation-models`)).rejects.toThrow();
  });

  it('--tls serves HTTPS and writes its certificate for the clients to trust (--tls-cert)', async () => {
    const io = captureIo();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const certFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'turnpool-emu-tls-')), 'ca.pem');
    const run = runEmulator(['--port', '0', '--no-auth', '--tls', '--tls-cert', certFile], io, () => stopped);
    for (let i = 0; i < 250 && io.stdout === ''; i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(io.stdout)?.[1];
    try {
      expect(url).toBeDefined();
      const ca = readFileSync(certFile, 'utf8');
      expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const get = (opts: https.RequestOptions) =>
        new Promise<number>((resolve, reject) => {
          https
            .get(`${url}/foundation-models`, opts, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            })
            .on('error', reject);
        });
      expect(await get({ ca })).toBe(200);
      await expect(get({})).rejects.toThrow(/self[- ]signed certificate/i);
    } finally {
      stop();
    }
    expect(await run).toBe(0);
  });

  it('applies repeated --quota flags: separate budgets per id, 429 ThrottlingException over one', async () => {
    const io = captureIo();
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const run = runEmulator(
      [
        '--port',
        '0',
        '--ttft-ms',
        '0',
        '--tokens-per-second',
        '0',
        '--quota',
        'amazon.nova-micro-v1:0=rpm:1,tpm:100000,burndown:5',
        '--quota',
        'us.amazon.nova-micro-v1:0=tpd:1000',
      ],
      io,
      () => stopped,
    );
    for (let i = 0; i < 100 && io.stdout === ''; i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.stdout)?.[1];
    try {
      const table = (await (await fetch(`${url}/_emulator/quotas`)).json()) as { quotas: unknown };
      expect(table.quotas).toEqual({
        'amazon.nova-micro-v1:0': { rpm: 1, tpm: 100_000, burndown: 5 },
        'us.amazon.nova-micro-v1:0': { tpd: 1000 },
      });
      const converse = (): Promise<Response> =>
        fetch(`${url}/model/amazon.nova-micro-v1%3A0/converse`, {
          method: 'POST',
          headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
        });
      expect((await converse()).status).toBe(200);
      const throttled = await converse();
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
      expect(await throttled.json()).toEqual({ message: 'Too many requests, please wait before trying again.' });
    } finally {
      stop();
      expect(await run).toBe(0);
    }
  });

  it('runs as `turnpool emulator` until SIGTERM and exits 0', async () => {
    const child = spawn(process.execPath, [...sourceExecArgv, turnpoolBin, 'emulator', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    for (let i = 0; i < 500 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (http:\/\/\S+) /.exec(out)?.[1];
    expect(url).toBeDefined();
    expect((await fetch(`${url}/_emulator/stats`)).status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
