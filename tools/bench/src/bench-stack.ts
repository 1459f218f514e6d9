import { Redis } from 'ioredis';
import { cleanupPrefix, startRedisServer, uniquePrefix, type OwnRedisServer } from '@turnpool/testing';
import { createTurnClient, type TurnClient } from '@turnpool/turn-store/client';
import type { WorkerHostOptions } from '@turnpool/worker';
import { resolveBenchModel } from './bench-model.ts';
import { spawnBenchChild, type BenchChild } from './spawn-child.ts';

/** Emulator defaults for every scenario; each request sets its own pacing with directives. */
export const emulatorDefaults = { ttftMs: 200, tokensPerSecond: 50, tokensPerChunk: 3, padding: true, requireAuth: true, seed: 1 };

/** Dummy credentials for processes that talk to the emulator (never real ones). */
export function emulatorEnv(emulatorUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'AWS_PROFILE',
    'AWS_BEARER_TOKEN_BEDROCK',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ])
    delete env[k];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    TURNPOOL_BEDROCK_ENDPOINT: emulatorUrl,
  };
}

/**
 * What every scenario runs on: a private redis-server (clean INFO counters, no other tests on
 * it), the emulator in its own process, and helpers to start worker hosts and dispatchers as
 * separate processes under a scenario's own key prefix.
 */
export interface BenchStack {
  redisServer: OwnRedisServer;
  redisUrl: string;
  /** A regular connection for the bench's own reads (INFO, cleanup). */
  redis: Redis;
  emulator: BenchChild<{ url: string }>;
  emulatorUrl: string;
  /** Worker host process on `keyPrefix`; options merge over the bench defaults. */
  startWorker(keyPrefix: string, opts?: Partial<WorkerHostOptions>): Promise<BenchChild<{ id: string }>>;
  startDispatcher(keyPrefix: string): Promise<BenchChild<{ url: string }>>;
  /**
   * A turn client (submit + subscribe) on its own connection; close it after use. One BullMQ
   * attempt per turn unless `attempts` says otherwise; models resolve with resolveBenchModel.
   */
  turnClient(keyPrefix: string, opts?: { attempts?: number }): { client: TurnClient; close(): Promise<void> };
  /** A fresh prefix for a scenario; every one handed out is deleted by close(). */
  prefix(label: string): string;
  /** Deletes a scenario's keys now. */
  cleanup(prefix: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBenchStack(): Promise<BenchStack> {
  const redisServer = await startRedisServer({ extraArgs: ['--maxclients', '10000'] });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 3 });
  const emulator = await spawnBenchChild<{ url: string }>('emulator-child', emulatorDefaults);
  const emulatorUrl = emulator.info.url;
  const prefixes = new Set<string>();
  const children = new Set<BenchChild<unknown>>();
  const track = <T>(c: BenchChild<T>) => {
    children.add(c as BenchChild<unknown>);
    const stop = c.stop.bind(c);
    c.stop = async (g) => {
      await stop(g);
      children.delete(c as BenchChild<unknown>);
    };
    return c;
  };
  return {
    redisServer,
    redisUrl: redisServer.url,
    redis,
    emulator,
    emulatorUrl,
    async startWorker(keyPrefix, opts = {}) {
      const o: WorkerHostOptions = {
        // Both piscina threads up front: the bench measures steady state, not a thread's start (~1 s of CPU loading tsx and the SDK).
        redisUrl: redisServer.url,
        keyPrefix,
        bedrockEndpoint: emulatorUrl,
        maxTurns: 256,
        shutdownGraceMs: 2000,
        minThreads: 2,
        maxThreads: 2,
        timeouts: { firstChunkMs: 30_000, idleMs: 30_000, turnMs: 600_000 },
        ...opts,
        // BENCH_WORKER_OPTS='{"maxThreads":1,"minThreads":1}' overrides worker host options in every scenario (experiments).
        ...(process.env['BENCH_WORKER_OPTS'] ? (JSON.parse(process.env['BENCH_WORKER_OPTS']) as Partial<WorkerHostOptions>) : {}),
      };
      return track(await spawnBenchChild<{ id: string }>('worker-child', o, emulatorEnv(emulatorUrl)));
    },
    async startDispatcher(keyPrefix) {
      return track(
        await spawnBenchChild<{ url: string }>('dispatcher-child', { redisUrl: redisServer.url, keyPrefix }, emulatorEnv(emulatorUrl)),
      );
    },
    turnClient(keyPrefix, opts = {}) {
      const conn = new Redis(redisServer.url, { maxRetriesPerRequest: null });
      const client = createTurnClient({ redis: conn, keyPrefix, attempts: opts.attempts ?? 1, resolveModel: resolveBenchModel });
      return {
        client,
        close: async () => {
          await client.close();
          await conn.quit().catch(() => conn.disconnect());
        },
      };
    },
    prefix(label) {
      const p = uniquePrefix(`bench-${label}`);
      prefixes.add(p);
      return p;
    },
    async cleanup(prefix) {
      await cleanupPrefix(redis, prefix);
      prefixes.delete(prefix);
    },
    async close() {
      // Teardown goes on past a child that will not stop: the rest must still be closed.
      for (const c of [...children]) await c.stop(5000).catch(() => {});
      for (const p of prefixes) await cleanupPrefix(redis, p).catch(() => 0);
      await emulator.stop(5000).catch(() => {});
      redis.disconnect();
      await redisServer.close();
    },
  };
}

/** Parsed `INFO` fields of interest. */
export interface RedisInfo {
  totalCommands: number;
  cpuMs: number;
  pid: number;
  /** cmdstat_<name> -> calls */
  commandCalls: Record<string, number>;
}

export async function readRedisInfo(redis: Redis): Promise<RedisInfo> {
  const text = await redis.info('everything');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  const commandCalls: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const m of text.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+)/gm)) commandCalls[m[1] as string] = Number(m[2]);
  return {
    totalCommands: field('total_commands_processed'),
    cpuMs: (field('used_cpu_sys') + field('used_cpu_user')) * 1000,
    pid: field('process_id'),
    commandCalls,
  };
}
