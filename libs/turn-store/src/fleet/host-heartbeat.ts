import type { Cluster, Redis } from 'ioredis';
import { turnKeys } from '../turn-keys.ts';

/** What a worker host says of itself in each beat (`GET /v1/hosts`). */
export interface HostHeartbeat {
  /** The host's worker id (`<hostname>:<pid>` by default): the `hostId` of the turns it runs. */
  hostId: string;
  hostname: string;
  pid: number;
  /** The worker package's version. */
  version: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of this beat. */
  lastSeenAt: number;
  /** Turn threads (1 when turns run inline on the main thread). */
  threads: number;
  /** Jobs the host holds now. */
  runningTurns: number;
  /** Turns it runs at once at most. */
  maxTurns: number;
}

export interface HostHeartbeatOptions {
  redis: Redis | Cluster;
  keyPrefix: string;
  /** Beat period, ms (config `pool.heartbeatMs`). */
  intervalMs: number;
  /** The beat's lifetime, ms (config `pool.heartbeatTtlMs`); above `intervalMs`. */
  ttlMs: number;
  /** The current figures, read at each beat. */
  read: () => Omit<HostHeartbeat, 'lastSeenAt'>;
  /** A beat Redis refused (the next one tries again). */
  onError?: (err: Error) => void;
}

export interface HostHeartbeatHandle {
  /** Stops beating and removes the host's heartbeat (a clean stop leaves the list at once). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Writes the host's heartbeat now and every `intervalMs`: SET its key with a `ttlMs` lifetime
 * and ZADD it to the host list (which drops ids whose last beat is older than `ttlMs`), in one
 * MULTI — both keys share the `{prefix}` tag. A killed host's key expires, so it leaves the
 * list after about three missed beats at the defaults.
 */
export async function startHostHeartbeat(o: HostHeartbeatOptions): Promise<HostHeartbeatHandle> {
  if (!(o.ttlMs > o.intervalMs)) throw new RangeError(`heartbeat ttlMs (${o.ttlMs}) must be above intervalMs (${o.intervalMs})`);
  const keys = turnKeys(o.keyPrefix);
  const hostId = o.read().hostId;
  const beat = async (): Promise<void> => {
    const now = Date.now();
    const record: HostHeartbeat = { ...o.read(), lastSeenAt: now };
    await o.redis
      .multi()
      .set(keys.host(hostId), JSON.stringify(record), 'PX', o.ttlMs)
      .zadd(keys.hosts, String(now), hostId)
      .zremrangebyscore(keys.hosts, '-inf', `(${now - o.ttlMs}`)
      .expire(keys.hosts, Math.ceil(o.ttlMs / 1000))
      .exec();
  };
  let inFlight: Promise<void> = Promise.resolve();
  const tick = () => {
    inFlight = beat().catch((err: unknown) => o.onError?.(err as Error));
  };
  await beat();
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await inFlight;
        // Also drops the ids of hosts whose heartbeat expired (killed hosts), as a beat does, so the
        // last host to stop leaves no list behind.
        await o.redis
          .multi()
          .del(keys.host(hostId))
          .zrem(keys.hosts, hostId)
          .zremrangebyscore(keys.hosts, '-inf', `(${Date.now() - o.ttlMs}`)
          .exec();
      })();
      return stopping;
    },
  };
}

/** The hosts whose heartbeat has not expired, sorted by id: one ZRANGE, then one GET per listed host (sent together). */
export async function listHosts(redis: Redis | Cluster, keyPrefix: string): Promise<HostHeartbeat[]> {
  const keys = turnKeys(keyPrefix);
  const ids = await redis.zrange(keys.hosts, '0', '-1');
  if (ids.length === 0) return [];
  const values = await Promise.all(ids.map((id) => redis.get(keys.host(id))));
  const hosts: HostHeartbeat[] = [];
  for (const v of values) {
    if (v === null) continue; // expired since its last ZADD: the host is gone
    try {
      hosts.push(JSON.parse(v) as HostHeartbeat);
    } catch {
      // A value that is not a heartbeat is not a host; skipped rather than failing the whole list.
    }
  }
  return hosts.sort((a, b) => a.hostId.localeCompare(b.hostId));
}
