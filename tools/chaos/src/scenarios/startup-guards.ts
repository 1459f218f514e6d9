import { startDispatcher } from '@turnpool/dispatcher';
import { RedisGuardError } from '@turnpool/redis-connect';
import { spawnTurnpool, startRedisServer, uniquePrefix, type OwnRedisServer } from '@turnpool/testing';
import { startWorkerHost } from '@turnpool/worker';
import { turnpoolBin } from '@turnpool/cli';

export interface GuardCase {
  name: string;
  /** What happened: `exit <code>: <first error line>` for processes, `<ErrorName> <code>: <message>` in-process. */
  outcome: string;
  /** The process refused to start with a clear error (the setting and the fix named). */
  refused: boolean;
}

export interface StartupGuardReport {
  cases: GuardCase[];
  durationMs: number;
}

const catalog = { list: async () => ({ entries: [], stale: false, fetchedAt: 0 }) };

async function inProcess(name: string, fn: () => Promise<{ close(): Promise<void> }>, expect: RegExp): Promise<GuardCase> {
  try {
    const started = await fn();
    await started.close();
    return { name, outcome: 'started', refused: false };
  } catch (err) {
    const e = err as Error & { code?: string };
    const outcome = `${e.name} ${e.code ?? ''}: ${e.message}`;
    return { name, outcome, refused: err instanceof RedisGuardError && expect.test(e.message) };
  }
}

async function asProcess(name: string, args: string[], env: Record<string, string>, expect: RegExp): Promise<GuardCase> {
  const p = spawnTurnpool(turnpoolBin, args, env);
  try {
    const code = await Promise.race([
      p.exited,
      p.waitFor(/ready|listening on/, 90_000).then(
        () => 'started',
        () => 'no answer',
      ),
    ]);
    const line =
      p
        .output()
        .split('\n')
        .find((l) => /turnpool (worker|dispatcher):/.test(l)) ?? p.output().slice(0, 300);
    return { name, outcome: `exit ${String(code)}: ${line.trim()}`, refused: code === 1 && expect.test(line) };
  } finally {
    await p.stop('SIGKILL');
  }
}

/**
 * Scenario 8: processes refuse to start on a Redis whose maxmemory-policy is not noeviction, and
 * on a key prefix that would split a turn's keys over Redis Cluster slots, with a clear error.
 */
export async function runStartupGuards(): Promise<StartupGuardReport> {
  const started = Date.now();
  const servers: OwnRedisServer[] = [];
  try {
    const [lru, cluster] = await Promise.all([
      startRedisServer({ extraArgs: ['--maxmemory-policy', 'allkeys-lru'] }),
      startRedisServer({ extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'] }),
    ]);
    servers.push(lru, cluster);
    const env = (url: string, extra: Record<string, string> = {}) => ({
      REDIS_URL: url,
      TURNPOOL_REDIS_URL: '',
      TURNPOOL_KEY_PREFIX: uniquePrefix('guard'),
      TURNPOOL_BEDROCK_ENDPOINT: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'AKIAFAKEGUARD',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-guard',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: '',
      ...extra,
    });
    const policy = /maxmemory-policy is "allkeys-lru".*noeviction/;
    const cases = await Promise.all([
      asProcess('turnpool worker, maxmemory-policy allkeys-lru', ['worker'], env(lru.url), policy),
      asProcess('turnpool dispatcher, maxmemory-policy allkeys-lru', ['dispatcher', '--port', '0'], env(lru.url), policy),
      inProcess(
        'startWorkerHost, maxmemory-policy allkeys-lru',
        () => startWorkerHost({ redisUrl: lru.url, keyPrefix: uniquePrefix('guard'), inline: true }),
        policy,
      ),
      inProcess(
        'startDispatcher, maxmemory-policy allkeys-lru',
        () => startDispatcher({ redisUrl: lru.url, catalog, region: 'us-east-1', port: 0 }),
        policy,
      ),
      inProcess(
        'startDispatcher, Cluster node, keyPrefix ""',
        () => startDispatcher({ redisUrl: cluster.url, keyPrefix: '', catalog, region: 'us-east-1', port: 0 }),
        /Cluster.*redis\.keyPrefix/,
      ),
      inProcess(
        'startDispatcher, Cluster node, keyPrefix "}x" (empty hash tag)',
        () => startDispatcher({ redisUrl: cluster.url, keyPrefix: '}x', catalog, region: 'us-east-1', port: 0 }),
        /redis\.keyPrefix/,
      ),
      asProcess('turnpool worker, TURNPOOL_KEY_PREFIX "{x}"', ['worker'], env(cluster.url, { TURNPOOL_KEY_PREFIX: '{x}' }), /keyPrefix/),
    ]);
    // The config loader's own rule (no braces) refuses the last one before Redis is asked: a ConfigError, also clear.
    return { cases, durationMs: Date.now() - started };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}
