import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { freePort, spawnTurnpool } from '@turnpool/testing';
import { fakeSecrets, startPool, type ChaosPool } from '../pool/start-pool.ts';
import { makeTestCert, redisSupportsTls, type TestCert } from './make-test-cert.ts';
import { runSecurityWorkload } from './security-workload.ts';
import { turnpoolAclCommands, turnpoolAclRules } from '@turnpool/redis-connect';
import { turnpoolBin } from '@turnpool/cli';

export interface SecurityOptions {
  /** Try TLS (rediss://) when openssl and a TLS-capable redis-server are there. @defaultValue true */
  tls?: boolean;
}

/** Fake secrets the run sets; none may appear in Redis, the logs, the events or the HTTP answers. */
const apiKey = 'tp-key-fake-0123456789abcdef';
const bearer = 'fake-bearer-token-XYZ-5e1d';
const aclPassword = 'acl-pw-fake-9c2e7b';
const adminPassword = 'admin-pw-fake-4a8f';

export interface SecurityReport {
  apiKeys: { cases: number; unauthorized: number; wrongShape: string[]; openPathsOk: boolean; validKeyAccepted: boolean };
  acl: {
    user: string;
    commands: number;
    turns: number;
    completed: number;
    failed: Record<string, number>;
    lost: number;
    deniedInAclLog: string[];
    outsideKeyRefused: boolean;
    dangerousRefused: boolean;
  };
  tls: { tested: boolean; reason?: string; plainOnTlsPortRefused?: boolean };
  requirepass: { workerReady: boolean; dispatcherReady: boolean; wrongPasswordExit: string; wrongPasswordMasked: boolean };
  scan: { keys: number; valueBytes: number; logBytes: number; answerBytes: number; secrets: number; found: string[] };
  durationMs: number;
}

/** Every value of every key, as text (strings, hashes, lists, sets, sorted sets, streams). */
async function dumpRedis(redis: Redis): Promise<{ keys: number; text: string }> {
  let cursor = '0';
  let keys = 0;
  const parts: string[] = [];
  for (let round = 0; round < 100_000; round++) {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
    for (const k of batch) {
      keys++;
      parts.push(k);
      const type = await redis.type(k);
      if (type === 'string') parts.push((await redis.get(k)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(k)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(k, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(k)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(k, '0', '-1', 'WITHSCORES')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(k, '-', '+')));
    }
    cursor = next;
    if (cursor === '0') break;
  }
  return { keys, text: parts.join('\n') };
}

/** Answers of the API with auth on: every bad Authorization is a 401 JSON error naming the field. */
async function checkApiKeys(pool: ChaosPool): Promise<SecurityReport['apiKeys']> {
  const variants: (Record<string, string> | undefined)[] = [
    undefined,
    { authorization: '' },
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: `bearer ${apiKey}` },
    { authorization: `Basic ${Buffer.from(`u:${apiKey}`).toString('base64')}` },
    { authorization: `Bearer ${apiKey.slice(0, -1)}` },
    { authorization: `Bearer ${apiKey}x` },
    { authorization: `Bearer  ${apiKey}` },
    { authorization: `Bearer ${apiKey}\u0000` },
    { authorization: `Bearer ${'k'.repeat(600)}` },
    { authorization: `Bearer ${apiKey.toUpperCase()}` },
    { 'x-api-key': apiKey },
    { authorization: 'Bearer \u00e9' },
  ];
  const paths: [string, string][] = [
    ['POST', '/v1/turns'],
    ['GET', '/v1/turns/some-turn'],
    ['GET', '/v1/turns/some-turn/events'],
    ['POST', '/v1/turns/some-turn/cancel'],
    ['GET', '/v1/models'],
    ['GET', '/metrics'],
  ];
  let cases = 0;
  let unauthorized = 0;
  const wrong: string[] = [];
  for (const h of variants) {
    for (const [method, p] of paths) {
      cases++;
      let res: Response;
      try {
        res = await fetch(`${pool.dispatcherUrl}${p}`, {
          method,
          headers: { 'content-type': 'application/json', ...h },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
      } catch (err) {
        // fetch refuses some header values itself (NUL, non-latin1): the client's rule, not the server's.
        if (err instanceof TypeError && /header/i.test(err.message)) {
          cases--;
          continue;
        }
        throw err;
      }
      const body = await res.text();
      let err: { code?: string; field?: string } | undefined;
      try {
        err = (JSON.parse(body || 'null') as { error?: { code?: string; field?: string } } | null)?.error;
      } catch {
        err = undefined;
      }
      if (
        res.status === 401 &&
        err?.code === 'unauthorized' &&
        err.field === 'authorization' &&
        /Bearer/.test(res.headers.get('www-authenticate') ?? '')
      )
        unauthorized++;
      else wrong.push(`${method} ${p} ${JSON.stringify(h)} -> ${res.status} ${body.slice(0, 120)}`);
    }
  }
  const open = await Promise.all(['/healthz', '/readyz'].map((p) => fetch(`${pool.dispatcherUrl}${p}`).then((r) => r.status)));
  const ok = await fetch(`${pool.dispatcherUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } });
  return {
    cases,
    unauthorized,
    wrongShape: wrong.slice(0, 5),
    openPathsOk: open.every((s) => s === 200),
    validKeyAccepted: ok.status === 200,
  };
}

/**
 * Scenario 7: API keys (401 paths), a least-privilege Redis ACL user over TLS (rediss://, a
 * self-signed cert made by openssl) for every process, requirepass URLs, and a scan of Redis,
 * the logs, the events and the HTTP answers for the fake credentials the run set.
 */
export async function runSecurity(o: SecurityOptions = {}): Promise<SecurityReport> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-chaos-tls-'));
  try {
    let cert: TestCert | undefined;
    let tls: SecurityReport['tls'] = { tested: false, reason: 'disabled' };
    const tlsPort = await freePort();
    if (o.tls ?? true) {
      const made = makeTestCert(dir);
      if ('error' in made) tls = { tested: false, reason: made.error };
      else {
        const support = redisSupportsTls(made, tlsPort);
        if (support.ok) cert = made;
        else tls = { tested: false, reason: `the installed redis-server has no TLS: ${support.reason}` };
      }
    }
    const tlsArgs = cert
      ? [
          '--tls-port',
          String(tlsPort),
          '--tls-cert-file',
          cert.certFile,
          '--tls-key-file',
          cert.keyFile,
          '--tls-ca-cert-file',
          cert.certFile,
          '--tls-auth-clients',
          'no',
        ]
      : [];
    const pool = await startPool({
      workers: 2,
      redisArgs: tlsArgs,
      logLevel: 'debug',
      prepareRedis: async (admin, prefix) => {
        await admin.call('ACL', 'SETUSER', 'turnpool', ...turnpoolAclRules(prefix, aclPassword));
        await admin.config('SET', 'requirepass', adminPassword);
      },
      adminRedisUrl: (s) => s.url.replace('redis://', `redis://:${adminPassword}@`),
      childRedisUrl: (s) =>
        cert ? `rediss://turnpool:${aclPassword}@127.0.0.1:${tlsPort}` : s.url.replace('redis://', `redis://turnpool:${aclPassword}@`),
      env: { TURNPOOL_API_KEYS: apiKey, AWS_BEARER_TOKEN_BEDROCK: bearer, ...(cert ? { NODE_EXTRA_CA_CERTS: cert.certFile } : {}) },
    });
    try {
      const apiKeys = await checkApiKeys(pool);
      const auth = { authorization: `Bearer ${apiKey}` };
      const work = await runSecurityWorkload(pool, auth);
      const logs = (await pool.redis.call('ACL', 'LOG')) as unknown[][];
      const denied = logs
        .map((entry) => {
          const m = new Map<string, unknown>();
          for (let i = 0; i + 1 < entry.length; i += 2) m.set(String(entry[i]), entry[i + 1]);
          return `${String(m.get('reason'))}:${String(m.get('object'))} (${String(m.get('username'))})`;
        })
        .filter((d) => d.endsWith('(turnpool)'));
      const verdicts = await Promise.all(work.turnIds.map(async (id) => (await pool.readLog(id)).at(-1)));
      const failed: Record<string, number> = {};
      for (const v of verdicts)
        if (v?.type === 'turn-error' || v?.type === 'turn-cancelled') failed[v.code ?? v.type] = (failed[v.code ?? v.type] ?? 0) + 1;
      // What the ACL user may not do.
      const { Redis: RedisCtor } = await import('ioredis');
      const limited = new RedisCtor(pool.server.url.replace('redis://', `redis://turnpool:${aclPassword}@`), {
        maxRetriesPerRequest: 1,
        enableReadyCheck: false,
      });
      limited.on('error', () => {});
      const outsideKeyRefused = await limited.get('other-app:secret').then(
        () => false,
        (e: Error) => /NOPERM/.test(e.message),
      );
      const dangerousRefused = await limited.flushall().then(
        () => false,
        (e: Error) => /NOPERM/.test(e.message),
      );
      limited.disconnect();
      if (cert) {
        tls = { tested: true, plainOnTlsPortRefused: await plainRefused(tlsPort) };
      }
      const requirepass = await checkRequirepass(pool, pool.server.url.replace('redis://', `redis://:${adminPassword}@`));

      const dump = await dumpRedis(pool.redis);
      const logText = pool.logs();
      const answerText = work.answers.join('\n');
      const secrets: [string, string][] = [
        ['AWS_SECRET_ACCESS_KEY', fakeSecrets.AWS_SECRET_ACCESS_KEY],
        ['AWS_ACCESS_KEY_ID', fakeSecrets.AWS_ACCESS_KEY_ID],
        ['AWS_BEARER_TOKEN_BEDROCK', bearer],
        ['API key', apiKey],
        ['Redis ACL password', aclPassword],
        ['Redis requirepass', adminPassword],
      ];
      const found: string[] = [];
      for (const [name, value] of secrets) {
        if (dump.text.includes(value)) found.push(`${name} in Redis`);
        if (logText.includes(value)) found.push(`${name} in logs`);
        if (answerText.includes(value)) found.push(`${name} in events/HTTP answers`);
      }
      return {
        apiKeys,
        acl: {
          user: 'turnpool',
          commands: turnpoolAclCommands.length,
          turns: work.turnIds.length,
          completed: verdicts.filter((v) => v?.type === 'turn-end').length,
          failed,
          lost: work.open.length,
          deniedInAclLog: denied.slice(0, 10),
          outsideKeyRefused,
          dangerousRefused,
        },
        tls,
        requirepass,
        scan: {
          keys: dump.keys,
          valueBytes: dump.text.length,
          logBytes: logText.length,
          answerBytes: answerText.length,
          secrets: secrets.length,
          found,
        },
        durationMs: Date.now() - started,
      };
    } finally {
      await pool.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A plain (non-TLS) client on the TLS port gets no PONG. */
function plainRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (v: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(!buf.includes('PONG')), 1500);
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => (buf += d.toString('latin1')));
    s.on('close', () => done(!buf.includes('PONG')));
    s.on('error', () => done(true));
  });
}

/** `redis://:password@` (requirepass, the default user) works for a worker and a dispatcher; a wrong one stops them with a masked error. */
async function checkRequirepass(pool: ChaosPool, url: string): Promise<SecurityReport['requirepass']> {
  const env = { ...pool.childEnv, REDIS_URL: url, NODE_EXTRA_CA_CERTS: '' };
  const w = spawnTurnpool(turnpoolBin, ['worker'], env);
  const d = spawnTurnpool(turnpoolBin, ['dispatcher', '--port', '0'], env);
  const bad = spawnTurnpool(turnpoolBin, ['worker'], { ...env, REDIS_URL: url.replace(adminPassword, 'wrong-pw-fake-31337') });
  try {
    const [workerReady, dispatcherReady] = await Promise.all([
      w.waitFor(/worker host \S+ ready/, 90_000).then(
        () => true,
        () => false,
      ),
      d.waitFor(/listening on/, 90_000).then(
        () => true,
        () => false,
      ),
    ]);
    const code = await Promise.race([bad.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 60_000))]);
    const out = bad.output();
    return {
      workerReady,
      dispatcherReady,
      wrongPasswordExit: `${String(code)}: ${
        out
          .split('\n')
          .find((l) => /redis/i.test(l))
          ?.slice(0, 200) ?? out.slice(0, 200)
      }`,
      wrongPasswordMasked: !out.includes('wrong-pw-fake-31337'),
    };
  } finally {
    await Promise.all([w.stop('SIGKILL'), d.stop('SIGKILL'), bad.stop('SIGKILL')]);
  }
}
