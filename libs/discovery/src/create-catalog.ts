import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { Cluster, Redis } from 'ioredis';
import { redisFailureHint, resolveSetting } from '@turnpool/config';
import type { Catalog, CatalogSnapshot, Logger, UnavailableMark } from '@turnpool/protocol';
import { catalogKeys } from './catalog-keys.ts';
import { DiscoveryError } from './discovery-error.ts';
import { fetchBedrockCatalog, toDiscoveryError } from './fetch-bedrock-catalog.ts';
import { mapCatalog } from './map-catalog.ts';
import { mergeManualModels } from './merge-manual-models.ts';
import {
  isDiscoveryEnabled,
  resolveDiscoverySettings,
  type DiscoverySettings,
  type ProviderSettings,
} from './resolve-discovery-settings.ts';
import {
  parseStoredCatalog,
  parseStoredError,
  parseStoredMark,
  type StoredCatalog,
  type StoredMark,
  type StoredRefreshError,
} from './stored-catalog.ts';

export interface CreateCatalogOptions {
  redis: Redis | Cluster;
  /** Key prefix; keys live under the `{prefix}` hash tag. @defaultValue sharedSettings.keyPrefix ('turnpool') */
  keyPrefix?: string;
  /**
   * Control-plane client (createBedrockClients().control), or a function giving it on the first
   * fetch: a process that never refreshes the catalog (a worker host) then never builds it.
   */
  control: BedrockClient | (() => Promise<BedrockClient>);
  region: string;
  /** CredentialInfo.identityHash: part of the cache key, so two accounts never share a catalog. */
  credentialsIdentity: string;
  /** Decides `enabled: undefined`. @defaultValue true */
  credentialsPresent?: boolean;
  /** `models.bedrockDiscovery`. @defaultValue {} (OpenClaw defaults) */
  discovery?: DiscoverySettings;
  /** `models.providers['amazon-bedrock']`: its `models` are merged over discovered ones. */
  provider?: ProviderSettings;
  logger?: Logger;
  /** How long a process reuses its in-memory copy without asking Redis (bounded staleness). @defaultValue 1000 */
  localTtlMs?: number;
  /** Lifetime of the single-flight lock; a crashed holder blocks others at most this long. @defaultValue 30000 */
  lockTtlMs?: number;
  /** How long a caller waits for another process's refresh before giving up. @defaultValue lockTtlMs + 5000 (outlasts a crashed holder's lock) */
  waitTimeoutMs?: number;
  /** Poll interval while waiting for another process's refresh. @defaultValue 50 */
  pollIntervalMs?: number;
  /** How long an expired copy is kept for stale serving, beyond refreshInterval. @defaultValue 604800 (7 days) */
  staleRetentionSeconds?: number;
  /** After a failed refresh, background refreshes pause this long (no hammering a failing Bedrock). @defaultValue 30000 */
  failureBackoffMs?: number;
  /** Per Bedrock call. @defaultValue 20000 */
  fetchTimeoutMs?: number;
  /**
   * How long a `markUnavailable` mark holds (config `catalog.unavailableTtlSeconds`): long enough
   * that a model the account cannot call is refused up front instead of costing every turn a
   * failed Bedrock call, short enough that one bad call (a denial while IAM or model access was
   * being changed) does not block the model for the fleet until the next refresh.
   * @defaultValue sharedSettings.unavailableTtlSeconds (300)
   */
  unavailableTtlSeconds?: number;
  /** Clock for freshness (tests move it). @defaultValue Date.now */
  now?: () => number;
}

type Marks = Map<string, StoredMark>;
interface SharedState {
  stored?: StoredCatalog;
  marks: Marks;
  lastError?: StoredRefreshError;
  locked: boolean;
}
interface Outcome {
  stored: StoredCatalog;
  marks: Marks;
  stale: boolean;
  warning?: string;
}

const releaseLock = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/**
 * Sets one mark (ARGV: model id, mark JSON, the caller's now in ms), drops expired or unreadable
 * marks, and lets the hash live as long as its longest mark (processes may be configured with
 * different TTLs). Only commands of the documented least-privilege ACL (docs/security.md).
 */
const setMark = `redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
local now = tonumber(ARGV[3])
local latest = now
local all = redis.call('hgetall', KEYS[1])
for i = 1, #all, 2 do
  local ok, mark = pcall(cjson.decode, all[i + 1])
  local untilMs = ok and type(mark) == 'table' and tonumber(mark['until']) or nil
  if untilMs == nil or untilMs <= now then redis.call('hdel', KEYS[1], all[i])
  elseif untilMs > latest then latest = untilMs end
end
redis.call('expire', KEYS[1], math.ceil((latest - now) / 1000))
return 1`;

/**
 * The shared Bedrock catalog: one Redis copy per (region, credential identity, filter), fresh
 * for `refreshInterval` seconds after its fetchedAt (each reader applies its own interval);
 * one process at a time asks Bedrock (`SET NX PX` lock, the others wait for its value); an
 * expired copy is served (`stale: true`) while a background refresh runs, and kept serving
 * with a warning when Bedrock fails; with no copy at all a failure is a DiscoveryError saying
 * what to check. `refreshInterval: 0` = no cache.
 */
export function createCatalog(opts: CreateCatalogOptions): Catalog {
  const settings = resolveDiscoverySettings(opts.discovery, opts.provider);
  const prefix = resolveSetting('keyPrefix', opts.keyPrefix, 'createCatalog: keyPrefix');
  check('region', opts.region, /^[a-z0-9-]{1,40}$/);
  check('credentialsIdentity', opts.credentialsIdentity, /^[A-Za-z0-9_-]{1,64}$/);
  for (const key of [
    'localTtlMs',
    'lockTtlMs',
    'waitTimeoutMs',
    'pollIntervalMs',
    'staleRetentionSeconds',
    'failureBackoffMs',
    'fetchTimeoutMs',
  ] as const) {
    const v = opts[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 30 * 24 * 3600 * 1000)) {
      throw new RangeError(`createCatalog: ${key} must be a non-negative integer, got ${String(v)}`);
    }
  }
  const unavailableTtlSeconds = resolveSetting('unavailableTtlSeconds', opts.unavailableTtlSeconds, 'createCatalog: unavailableTtlSeconds');
  const { redis, control, logger } = opts;
  const keys = catalogKeys(prefix, opts.region, opts.credentialsIdentity, settings.filterHash);
  const now = opts.now ?? Date.now;
  const localTtlMs = opts.localTtlMs ?? 1000;
  const lockTtlMs = opts.lockTtlMs ?? 30_000;
  const waitTimeoutMs = opts.waitTimeoutMs ?? lockTtlMs + 5000;
  const pollIntervalMs = opts.pollIntervalMs ?? 50;
  const failureBackoffMs = opts.failureBackoffMs ?? 30_000;
  const intervalMs = settings.refreshInterval * 1000;
  const retentionMs = intervalMs + (opts.staleRetentionSeconds ?? 7 * 24 * 3600) * 1000;
  const markTtlMs = unavailableTtlSeconds * 1000;
  /**
   * Freshness is this process's judgement: the copy's fetchedAt + ITS refreshInterval, not the
   * writer's expiresAt, so lowering refreshInterval takes effect at once instead of after the
   * copy already in Redis expires.
   */
  const freshUntil = (stored: StoredCatalog): number => stored.fetchedAt + intervalMs;
  const defaults = { contextWindow: settings.defaultContextWindow, maxTokens: settings.defaultMaxTokens };
  const enabled = isDiscoveryEnabled(settings.enabled, opts.credentialsPresent ?? true);

  let local: { stored: StoredCatalog; marks: Marks; readAt: number } | undefined;
  let inflight: Promise<Outcome> | undefined;
  const background = new Set<Promise<void>>();

  async function redisOp<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new DiscoveryError(
        'redis_unavailable',
        `Redis ${what} failed (${err instanceof Error ? err.message : String(err)}): ${redisFailureHint(err instanceof Error ? err.message : String(err))}`,
        { cause: err, retryable: true },
      );
    }
  }

  async function readShared(): Promise<SharedState> {
    const res = await redisOp('read', () =>
      redis.multi().get(keys.value).hgetall(keys.unavailable).get(keys.error).exists(keys.lock).exec(),
    );
    const [value, marks, error, locked] = (res ?? []).map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    const stored = parseStoredCatalog(value as string | null);
    const lastError = parseStoredError(error as string | null);
    return {
      ...(stored ? { stored } : {}),
      marks: parseMarks((marks ?? {}) as Record<string, string>),
      ...(lastError ? { lastError } : {}),
      locked: locked === 1,
    };
  }

  async function fetchFresh(): Promise<StoredCatalog> {
    const client = typeof control === 'function' ? await control() : control;
    const raw = await fetchBedrockCatalog(client, { ...(opts.fetchTimeoutMs ? { timeoutMs: opts.fetchTimeoutMs } : {}) });
    const { entries, filtered } = mapCatalog({
      models: raw.models,
      profiles: raw.profiles,
      region: opts.region,
      providerFilter: settings.providerFilter,
      defaultContextWindow: defaults.contextWindow,
      defaultMaxTokens: defaults.maxTokens,
    });
    const fetchedAt = now();
    if (raw.warning) logger?.warn({ region: opts.region }, raw.warning);
    return { v: 1, fetchedAt, expiresAt: fetchedAt + intervalMs, entries, filtered, ...(raw.warning ? { warning: raw.warning } : {}) };
  }

  /** Takes the lock and asks Bedrock, or waits for the process that holds it; `accept` says which stored copy a waiter may take. */
  async function refreshShared(accept: (s: StoredCatalog) => boolean, startedAt: number): Promise<Outcome> {
    const deadline = performance.now() + waitTimeoutMs;
    for (;;) {
      const token = randomUUID();
      const got = await redisOp('lock', () => redis.set(keys.lock, token, 'PX', lockTtlMs, 'NX'));
      if (got === 'OK') {
        try {
          return await refreshHoldingLock();
        } finally {
          await redis.eval(releaseLock, 1, keys.lock, token).catch((err: unknown) => logger?.warn({ err }, 'catalog lock release failed'));
        }
      }
      while (performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, pollIntervalMs));
        const cur = await readShared();
        if (cur.stored && accept(cur.stored)) return { stored: cur.stored, marks: cur.marks, stale: false, ...warn(cur.stored.warning) };
        if (cur.lastError && cur.lastError.at >= startedAt) {
          if (cur.stored) return { stored: cur.stored, marks: cur.marks, stale: true, warning: staleWarning(cur.lastError, cur.stored) };
          throw noCacheError(cur.lastError);
        }
        if (!cur.locked) break;
      }
      if (performance.now() >= deadline) {
        throw new DiscoveryError(
          'discovery_timeout',
          `waited ${waitTimeoutMs} ms for another process to refresh the Bedrock catalog; check that process and Bedrock reachability`,
        );
      }
    }
  }

  async function refreshHoldingLock(): Promise<Outcome> {
    let fresh: StoredCatalog;
    try {
      fresh = await fetchFresh();
    } catch (err) {
      if (err instanceof DiscoveryError && err.code === 'redis_unavailable') throw err;
      const de = err instanceof DiscoveryError ? err : toDiscoveryError(err, 'discovery');
      const record: StoredRefreshError = { code: de.code, message: de.message, at: now() };
      await redisOp('write', () => redis.set(keys.error, JSON.stringify(record), 'PX', Math.max(failureBackoffMs, 1000)));
      logger?.warn({ err: de.toJSON() }, 'Bedrock catalog refresh failed');
      const cur = await readShared();
      if (cur.stored) return { stored: cur.stored, marks: cur.marks, stale: true, warning: staleWarning(record, cur.stored) };
      throw noCacheError(record, de);
    }
    await redisOp('write', () =>
      redis.multi().set(keys.value, JSON.stringify(fresh), 'PX', retentionMs).del(keys.unavailable).del(keys.error).exec(),
    );
    logger?.info({ region: opts.region, models: fresh.entries.length }, 'Bedrock catalog refreshed');
    return { stored: fresh, marks: new Map(), stale: false, ...warn(fresh.warning) };
  }

  function singleFlight(accept: (s: StoredCatalog) => boolean, startedAt: number): Promise<Outcome> {
    inflight ??= refreshShared(accept, startedAt).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  function startBackground(cur: SharedState): void {
    if (inflight || cur.locked) return;
    if (cur.lastError && now() - cur.lastError.at < failureBackoffMs) return;
    const p = (async () => {
      const token = randomUUID();
      const got = await redis.set(keys.lock, token, 'PX', lockTtlMs, 'NX');
      if (got !== 'OK') return;
      try {
        const out = await refreshHoldingLock();
        if (!out.stale) local = { stored: out.stored, marks: out.marks, readAt: now() };
      } finally {
        await redis.eval(releaseLock, 1, keys.lock, token);
      }
    })()
      .catch((err: unknown) => logger?.warn({ err }, 'background catalog refresh failed'))
      .finally(() => {
        background.delete(p);
      });
    background.add(p);
  }

  function snapshot(out: Outcome, includeFiltered: boolean): CatalogSnapshot {
    const merged = mergeManualModels(out.stored.entries, settings.manualModels, defaults);
    const t = now();
    const entries = merged.map((e) => {
      const mark = out.marks.get(e.id);
      return mark === undefined || mark.until <= t
        ? e
        : { ...e, available: false, unavailableReason: mark.reason, unavailableUntil: mark.until };
    });
    return {
      entries,
      ...(includeFiltered ? { filtered: out.stored.filtered } : {}),
      fetchedAt: out.stored.fetchedAt,
      stale: out.stale,
      ...warn(out.warning),
    };
  }

  async function disabledSnapshot(includeFiltered: boolean): Promise<CatalogSnapshot> {
    const { marks } = await readShared();
    const why =
      settings.enabled === false
        ? 'models.bedrockDiscovery.enabled is false'
        : 'no AWS credentials were found (run `turnpool credentials`)';
    const t = now();
    return snapshot(
      {
        stored: { v: 1, fetchedAt: t, expiresAt: t, entries: [], filtered: [] },
        marks,
        stale: false,
        warning: `Bedrock discovery is off: ${why}; only configured models are listed`,
      },
      includeFiltered,
    );
  }

  async function uncached(): Promise<Outcome> {
    let fresh: StoredCatalog;
    try {
      fresh = await fetchFresh();
    } catch (err) {
      const de = err instanceof DiscoveryError ? err : toDiscoveryError(err, 'discovery');
      throw noCacheError({ code: de.code, message: de.message, at: now() }, de, 'refreshInterval is 0 (no cache)');
    }
    const { marks } = await readShared();
    return { stored: fresh, marks, stale: false, ...warn(fresh.warning) };
  }

  async function list(listOpts: { includeFiltered?: boolean } = {}): Promise<CatalogSnapshot> {
    const includeFiltered = listOpts.includeFiltered ?? false;
    if (!enabled) return disabledSnapshot(includeFiltered);
    if (intervalMs === 0) return snapshot(await uncached(), includeFiltered);
    const t = now();
    if (local && t - local.readAt < localTtlMs && t < freshUntil(local.stored)) {
      return snapshot({ stored: local.stored, marks: local.marks, stale: false, ...warn(local.stored.warning) }, includeFiltered);
    }
    const cur = await readShared();
    if (cur.stored && t < freshUntil(cur.stored)) {
      local = { stored: cur.stored, marks: cur.marks, readAt: t };
      return snapshot({ stored: cur.stored, marks: cur.marks, stale: false, ...warn(cur.stored.warning) }, includeFiltered);
    }
    if (cur.stored) {
      startBackground(cur);
      const warning = cur.lastError
        ? staleWarning(cur.lastError, cur.stored)
        : `catalog expired at ${iso(freshUntil(cur.stored))}; served while it refreshes in the background`;
      return snapshot({ stored: cur.stored, marks: cur.marks, stale: true, warning }, includeFiltered);
    }
    const out = await singleFlight((s) => now() < freshUntil(s), t);
    if (!out.stale) local = { stored: out.stored, marks: out.marks, readAt: now() };
    return snapshot(out, includeFiltered);
  }

  async function refresh(): Promise<CatalogSnapshot> {
    // Asked for by a person (`turnpool models refresh`): clear the marks now, whatever Bedrock answers.
    await redisOp('write', () => redis.del(keys.unavailable));
    if (local) local = { ...local, marks: new Map() };
    if (!enabled) return disabledSnapshot(false);
    if (intervalMs === 0) return snapshot(await uncached(), false);
    const startedAt = now();
    const out = await singleFlight((s) => s.fetchedAt >= startedAt, startedAt);
    local = out.stale ? undefined : { stored: out.stored, marks: out.marks, readAt: now() };
    return snapshot(out, false);
  }

  async function markUnavailable(modelId: string, reason: string): Promise<void> {
    if (typeof modelId !== 'string' || modelId === '' || modelId.length > 512) {
      throw new DiscoveryError('invalid_discovery_config', 'markUnavailable: modelId must be a string of 1-512 characters');
    }
    const t = now();
    const mark: StoredMark = {
      reason: typeof reason === 'string' && reason !== '' ? reason.slice(0, 500) : 'unavailable',
      until: t + markTtlMs,
    };
    await redisOp('write', () => redis.eval(setMark, 1, keys.unavailable, modelId, JSON.stringify(mark), String(t)));
    local?.marks.set(modelId, mark);
  }

  async function marks(): Promise<UnavailableMark[]> {
    const raw = await redisOp('read', () => redis.hgetall(keys.unavailable));
    const t = now();
    return [...parseMarks(raw)].filter(([, m]) => m.until > t).map(([modelId, m]) => ({ modelId, reason: m.reason, until: m.until }));
  }

  return {
    list,
    get: async (modelId) => (await list()).entries.find((e) => e.id === modelId),
    refresh,
    markUnavailable,
    marks,
    idle: async () => {
      while (background.size > 0) await Promise.all([...background]);
    },
  };
}

function check(field: string, value: unknown, pattern: RegExp): void {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new DiscoveryError('invalid_discovery_config', `createCatalog: ${field} must match ${String(pattern)}`);
  }
}

function parseMarks(raw: Record<string, string>): Marks {
  const out: Marks = new Map();
  for (const [modelId, text] of Object.entries(raw)) {
    const mark = parseStoredMark(text);
    if (mark) out.set(modelId, mark);
  }
  return out;
}

function warn(warning: string | undefined): { warning?: string } {
  return warning === undefined ? {} : { warning };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function staleWarning(err: StoredRefreshError, stored: StoredCatalog): string {
  return `Bedrock catalog refresh failed (${err.code}: ${err.message}); serving the stale catalog fetched at ${iso(stored.fetchedAt)}`;
}

function noCacheError(err: StoredRefreshError, cause?: DiscoveryError, why = 'no cached catalog exists yet'): DiscoveryError {
  return new DiscoveryError(
    err.code === 'discovery_access_denied' ? 'discovery_access_denied' : 'discovery_unavailable',
    `cannot list Bedrock models: ${err.message} (${why}, so there is nothing to fall back to)`,
    { ...(cause ? { cause } : {}), retryable: err.code !== 'discovery_access_denied' },
  );
}
