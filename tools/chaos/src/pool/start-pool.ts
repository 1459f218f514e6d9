import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis, type Cluster } from 'ioredis';
import { createRedis } from '@turnpool/redis-connect';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '@turnpool/bedrock-emulator';
import { turnKeys, readTurnEvents } from '@turnpool/turn-store';
import { spawnTurnpool, startRedisServer, uniquePrefix, type OwnRedisServer, type TurnpoolProcess } from '@turnpool/testing';
import type { LoggedEvent } from '../check-turn-log.ts';
import { turnpoolBin } from '@turnpool/cli';

/** The model every chaos turn uses (the emulator's catalog serves it). */
export const chaosModel = 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0';

/** Fake credentials every child gets: the secrets scan looks for them afterwards. */
export const fakeSecrets = {
  AWS_ACCESS_KEY_ID: 'AKIAFAKECHAOS0000XYZ',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-XYZ-chaos-7f3a9c',
} as const;

export interface PoolOptions {
  /** Worker host processes (`turnpool worker`). @defaultValue 3 */
  workers?: number;
  /** Start a `turnpool dispatcher` process. @defaultValue true */
  dispatcher?: boolean;
  /** redis-server with AOF (appendfsync everysec). @defaultValue true */
  appendOnly?: boolean;
  /** Extra redis-server arguments. @defaultValue [] */
  redisArgs?: string[];
  /** Emulator pacing and faults. @defaultValue ttftMs 20, tokensPerSecond 300, tokensPerChunk 2, no padding */
  emulator?: Partial<EmulatorOptions>;
  /** turnpool config (JSON) the children read via TURNPOOL_CONFIG. @defaultValue pool.maxThreads 1 */
  config?: object;
  /** Extra env for every child (API keys, NODE_EXTRA_CA_CERTS…). @defaultValue {} */
  env?: Record<string, string>;
  /** The Redis URL children use, from the private server's plain URL (AUTH users, rediss://). @defaultValue the plain URL */
  childRedisUrl?: (server: OwnRedisServer) => string;
  /** Runs on a plain admin connection before any child starts (ACL users, requirepass). @defaultValue none */
  prepareRedis?: (admin: Redis, prefix: string) => Promise<void>;
  /** The URL of the harness's own connection (after prepareRedis). @defaultValue the plain URL */
  adminRedisUrl?: (server: OwnRedisServer) => string;
  /**
   * Use this Redis (e.g. a private cluster's `redis+cluster://…` URL, libs/testing startRedisCluster)
   * instead of starting a redis-server: children and the harness connect to it, close() leaves it
   * running (its owner stops it), and the pool has no `server`. appendOnly, redisArgs, childRedisUrl,
   * prepareRedis and adminRedisUrl (all about the pool's own server) are then not allowed.
   * @defaultValue none (the pool's own redis-server)
   */
  redisUrl?: string;
  /** Worker / dispatcher log level. @defaultValue 'info' */
  logLevel?: string;
  /** How long a child may take to say it is ready. @defaultValue 90000 */
  readyTimeoutMs?: number;
}

/** A turnpool on a given Redis (`redisUrl`): an in-process emulator, worker and dispatcher processes. */
export interface PoolOnRedis {
  prefix: string;
  /** The harness's own connection (reads logs; a Cluster for a cluster URL). */
  redis: Redis | Cluster;
  emulator: EmulatorHandle;
  /** `http://127.0.0.1:port` of the dispatcher process ('' without one). */
  dispatcherUrl: string;
  /** The dispatcher process (undefined without one). */
  dispatcher: TurnpoolProcess | undefined;
  /** Worker host processes by slot (undefined while a slot is down). */
  hosts: (TurnpoolProcess | undefined)[];
  /** Child env (for spawning more processes like these). */
  childEnv: Record<string, string>;
  startHost(slot: number): Promise<TurnpoolProcess>;
  /** Sends `signal` to the host in `slot` and waits for it to exit. */
  stopHost(slot: number, signal: NodeJS.Signals): Promise<number | string>;
  /** POST /v1/turns; resolves with the turn id (throws on anything but 202). */
  submit(text: string, headers?: Record<string, string>): Promise<string>;
  /** The turn's event log, straight from its Redis stream. */
  readLog(turnId: string): Promise<LoggedEvent[]>;
  /** Resolves when every turn's stream ends with a terminal event, or `timeoutMs` passes; returns the ones still open. */
  waitForTerminal(turnIds: readonly string[], timeoutMs: number): Promise<string[]>;
  /** Everything every child printed (for the secrets scan and failure reports). */
  logs(): string;
  close(): Promise<void>;
}

/** A private turnpool: its own redis-server, an in-process emulator, worker and dispatcher processes. */
export interface ChaosPool extends PoolOnRedis {
  server: OwnRedisServer;
  /** The harness's own connection (admin: reads logs, scans keys). */
  redis: Redis;
}

const terminalTypes = new Set(['turn-end', 'turn-error', 'turn-cancelled']);

/** Starts a chaos pool; close() kills every child it started, also when start-up fails half way. */
export async function startPool(opts: PoolOptions & { redisUrl: string }): Promise<PoolOnRedis>;
export async function startPool(opts?: PoolOptions & { redisUrl?: undefined }): Promise<ChaosPool>;
export async function startPool(opts: PoolOptions = {}): Promise<ChaosPool | PoolOnRedis> {
  const own = ['appendOnly', 'redisArgs', 'childRedisUrl', 'prepareRedis', 'adminRedisUrl'] as const;
  if (opts.redisUrl !== undefined && own.some((k) => opts[k] !== undefined))
    throw new Error(`startPool: redisUrl does not go with ${own.filter((k) => opts[k] !== undefined).join(', ')}`);
  const prefix = uniquePrefix('chaos');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-chaos-'));
  const configPath = path.join(dir, 'turnpool.json5');
  writeFileSync(configPath, JSON.stringify(opts.config ?? { pool: { maxThreads: 1 } }));
  const all: TurnpoolProcess[] = [];
  const hosts: (TurnpoolProcess | undefined)[] = [];
  let dispatcher: TurnpoolProcess | undefined;
  let server: OwnRedisServer | undefined;
  let emulator: EmulatorHandle | undefined;
  let redis: Redis | Cluster | undefined;
  let closed: Promise<void> | undefined;
  let pastLogs = '';

  const close = () => {
    closed ??= (async () => {
      await Promise.all(all.map((p) => p.stop('SIGKILL')));
      redis?.disconnect();
      await emulator?.close();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    })();
    return closed;
  };

  try {
    if (opts.redisUrl === undefined)
      server = await startRedisServer({ appendOnly: opts.appendOnly ?? true, extraArgs: opts.redisArgs ?? [] });
    emulator = await startEmulator({ ttftMs: 20, tokensPerSecond: 300, tokensPerChunk: 2, padding: false, ...opts.emulator });
    if (opts.prepareRedis && server) {
      const admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        await opts.prepareRedis(admin, prefix);
      } finally {
        admin.disconnect();
      }
    }
    const r: Redis | Cluster = server
      ? new Redis((opts.adminRedisUrl ?? ((s) => s.url))(server), { maxRetriesPerRequest: null })
      : createRedis(opts.redisUrl ?? '', { maxRetriesPerRequest: null });
    redis = r;
    r.on('error', () => {});
    const childEnv: Record<string, string> = {
      REDIS_URL: server ? (opts.childRedisUrl ?? ((s) => s.url))(server) : (opts.redisUrl ?? ''),
      TURNPOOL_REDIS_URL: '',
      TURNPOOL_CONFIG: configPath,
      TURNPOOL_KEY_PREFIX: prefix,
      TURNPOOL_BEDROCK_ENDPOINT: emulator.url,
      TURNPOOL_DEFAULT_MODEL: chaosModel,
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: '',
      AWS_BEARER_TOKEN_BEDROCK: '',
      ...fakeSecrets,
      ...opts.env,
    };
    const readyMs = opts.readyTimeoutMs ?? 90_000;
    const startHost = async (slot: number) => {
      const p = spawnTurnpool(turnpoolBin, ['worker', '--log-level', opts.logLevel ?? 'info'], childEnv);
      all.push(p);
      void p.exited.then(() => {
        pastLogs += p.output();
      });
      hosts[slot] = p;
      await p.waitFor(/worker host \S+ ready/, readyMs);
      return p;
    };
    const starts: Promise<unknown>[] = Array.from({ length: opts.workers ?? 3 }, (_, i) => startHost(i));
    let dispatcherUrl = '';
    if (opts.dispatcher ?? true) {
      dispatcher = spawnTurnpool(turnpoolBin, ['dispatcher', '--port', '0', '--log-level', opts.logLevel ?? 'info'], childEnv);
      all.push(dispatcher);
      const d = dispatcher;
      starts.push(
        d.waitFor(/listening on (http:\/\/\S+)/, readyMs).then((m) => {
          dispatcherUrl = m[1] ?? '';
        }),
      );
    }
    await Promise.all(starts);
    const stream = (id: string) => turnKeys(prefix).events(id);
    const pool: PoolOnRedis = {
      prefix,
      redis: r,
      emulator,
      dispatcherUrl,
      dispatcher,
      hosts,
      childEnv,
      startHost,
      async stopHost(slot, signal) {
        const p = hosts[slot];
        if (!p) return 'absent';
        hosts[slot] = undefined;
        return p.stop(signal);
      },
      async submit(text, headers = {}) {
        const res = await fetch(`${dispatcherUrl}/v1/turns`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: chaosModel, messages: [{ role: 'user', content: [{ text }] }] }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = await res.text();
        if (res.status !== 202) throw new Error(`POST /v1/turns answered ${res.status}: ${body.slice(0, 300)}`);
        return (JSON.parse(body) as { turnId: string }).turnId;
      },
      readLog: (turnId) => readTurnEvents(r, prefix, turnId) as Promise<LoggedEvent[]>,
      async waitForTerminal(turnIds, timeoutMs) {
        let open = [...turnIds];
        const deadline = Date.now() + timeoutMs;
        while (open.length > 0 && Date.now() < deadline) {
          // One command per turn, not a pipeline: on a cluster the turns' streams live in different slots.
          // A turn whose read fails (its slot's master failing over) counts as open this round.
          const replies = await Promise.all(open.map((id) => r.xrevrange(stream(id), '+', '-', 'COUNT', 1).catch(() => undefined)));
          open = open.filter((_, i) => {
            const json = replies[i]?.[0]?.[1]?.[1];
            if (json === undefined) return true;
            return !terminalTypes.has((JSON.parse(json) as { type: string }).type);
          });
          if (open.length > 0) await new Promise((res) => setTimeout(res, 250));
        }
        return open;
      },
      logs: () =>
        pastLogs +
        all
          .filter((p) => p.child.exitCode === null && p.child.signalCode === null)
          .map((p) => p.output())
          .join('\n'),
      close,
    };
    return server ? { ...pool, server, redis: r as Redis } : pool;
  } catch (err) {
    const out = all.map((p) => p.output().slice(-1500)).join('\n---\n');
    await close();
    throw new Error(`chaos pool did not start: ${(err as Error).message}\n${out}`);
  }
}
