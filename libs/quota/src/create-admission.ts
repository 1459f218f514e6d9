import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { resolveSetting, type QuotaBudget } from '@turnpool/config';
import { quotaKeys } from './quota-keys.ts';
import { acquireScript, settleScript } from './admission-scripts.ts';
import type { QuotaStatus } from './quota-status.ts';

/** Why a turn waits: the binding budget. */
export type WaitReason = 'rpm' | 'tpm' | 'concurrency';

/** What `acquire` answers. */
export type Admission =
  | { status: 'admitted'; lease: Lease }
  /** Wait about `etaMs` (then ask again); `position` is 1-based in this key's line. */
  | { status: 'wait'; reason: WaitReason; position: number; etaMs: number }
  /** The daily token quota is spent; it frees at UTC midnight, in `etaMs`. */
  | { status: 'daily'; etaMs: number }
  /** The reservation alone is larger than the tokens-per-minute quota: Bedrock would never admit it. */
  | { status: 'too_large'; tpm: number };

/** An admitted call's claim on the budget; settle it exactly once. */
export interface Lease {
  id: string;
  quotaKey: string;
  /** Tokens reserved at admission. */
  reserved: number;
}

/** How a call ended, for settling its lease. */
export interface Settlement {
  /** Tokens the call really used against TPM (input incl. cache + output × burndown); 0 when it never ran. */
  usedTokens: number;
  /** `throttled` lowers the key's learned concurrency for the whole fleet; `ok` raises it slowly. */
  outcome: 'ok' | 'throttled' | 'failed';
}

export interface AdmissionOptions {
  redis: Redis | Cluster;
  /** @defaultValue sharedSettings.keyPrefix */
  keyPrefix?: string;
  /** A lease not renewed or settled in this time is dropped (a crashed host's calls). @defaultValue sharedSettings.leaseTtlMs (60000) */
  leaseTtlMs?: number;
  /** A waiter that has not asked again in this time loses its place (a cancelled or lost turn). @defaultValue 15000 */
  waiterTtlMs?: number;
  /** Learned limit after a throttle: in-flight calls × this. @defaultValue 0.7 */
  decreaseFactor?: number;
  /** At most one decrease per this period, so one burst of throttles counts once. @defaultValue 1000 */
  decreaseCooldownMs?: number;
  /** Clock (tests move it). @defaultValue Date.now */
  now?: () => number;
}

export interface AdmissionControl {
  /**
   * Asks for one request and `need` tokens of `quotaKey`'s budget for `turnId`. A turn that has
   * to wait keeps its place in the key's line (FIFO) as long as it asks again within `waiterTtlMs`.
   */
  acquire(quotaKey: string, budget: QuotaBudget, need: number, turnId: string): Promise<Admission>;
  /** Settles a lease; answers the waiting turns (ids) that fit now, head first, so the caller can wake them. */
  settle(lease: Lease, budget: QuotaBudget, settlement: Settlement): Promise<string[]>;
  /** Extends leases of calls still running. */
  renew(leases: readonly Lease[]): Promise<void>;
  /** Takes a turn out of a key's line (cancelled, fallen back, given up). */
  leave(quotaKey: string, turnId: string): Promise<void>;
  /** The state of every key seen, or of the given ones. */
  status(quotaKeys?: readonly string[]): Promise<QuotaStatus[]>;
}

const dayMs = 86_400_000;

function positive(name: string, value: number | undefined, fallback: number, max = 3_600_000): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > max)
    throw new RangeError(`admission option ${name} must be a number in (0, ${max}], got ${String(value)}`);
  return value;
}

/**
 * Fleet-wide admission against Bedrock's account quotas, in Redis: every host asks the same
 * buckets before it calls ConverseStream, so adding hosts adds throughput, not throttles.
 * Requests and tokens are continuous token buckets refilled over the minute (as Bedrock counts);
 * tokens are reserved at admission (input + maxTokens) and settled at the end.
 */
export function createAdmission(opts: AdmissionOptions): AdmissionControl {
  const keys = quotaKeys(resolveSetting('keyPrefix', opts.keyPrefix, 'admission option keyPrefix'));
  const leaseTtlMs = resolveSetting('leaseTtlMs', opts.leaseTtlMs, 'admission option leaseTtlMs');
  const waiterTtlMs = positive('waiterTtlMs', opts.waiterTtlMs, 15_000);
  const decreaseFactor = positive('decreaseFactor', opts.decreaseFactor, 0.7, 1);
  const cooldownMs = positive('decreaseCooldownMs', opts.decreaseCooldownMs, 1000);
  const now = opts.now ?? Date.now;
  const { redis } = opts;

  const keysOf = (quotaKey: string, at: number): string[] => {
    const day = new Date(at).toISOString().slice(0, 10).replaceAll('-', '');
    return [
      keys.quota(quotaKey),
      keys.quotaPart(quotaKey, 'leases'),
      keys.quotaPart(quotaKey, 'lease-need'),
      keys.quotaPart(quotaKey, 'wait'),
      keys.quotaPart(quotaKey, 'wait-need'),
      keys.quotaPart(quotaKey, 'wait-seen'),
      keys.quotaPart(quotaKey, 'throttles'),
      keys.quotaPart(quotaKey, `day:${day}`),
      keys.quotaKeys,
    ];
  };
  const limits = (b: QuotaBudget) => [String(b.rpm ?? 0), String(b.tpm ?? 0)];

  return {
    async acquire(quotaKey, budget, need, turnId) {
      if (!Number.isInteger(need) || need < 0)
        throw new RangeError(`admission: need must be a whole number of tokens, got ${String(need)}`);
      const at = now();
      const leaseId = randomUUID();
      const msToDayEnd = dayMs - (at % dayMs);
      const reply = (await redis.eval(
        acquireScript,
        9,
        ...keysOf(quotaKey, at),
        String(at),
        ...limits(budget),
        String(budget.tokensPerDay ?? 0),
        String(need),
        turnId,
        leaseId,
        String(leaseTtlMs),
        String(waiterTtlMs),
        quotaKey,
        String(msToDayEnd),
      )) as string[];
      switch (reply[0]) {
        case 'admitted':
          return { status: 'admitted', lease: { id: leaseId, quotaKey, reserved: need } };
        case 'wait':
          return { status: 'wait', reason: reply[1] as WaitReason, position: Number(reply[2]), etaMs: Math.max(0, Number(reply[3])) };
        case 'daily':
          return { status: 'daily', etaMs: Number(reply[1]) };
        default:
          return { status: 'too_large', tpm: Number(reply[1]) };
      }
    },

    async settle(lease, budget, s) {
      const at = now();
      const used = Math.max(0, Math.round(s.usedTokens));
      return (await redis.eval(
        settleScript,
        9,
        ...keysOf(lease.quotaKey, at),
        String(at),
        ...limits(budget),
        lease.id,
        String(used),
        s.outcome,
        String(decreaseFactor),
        String(cooldownMs),
        '8',
      )) as string[];
    },

    async renew(leases) {
      if (leases.length === 0) return;
      const until = now() + leaseTtlMs;
      const pipe = redis.pipeline();
      for (const l of leases) pipe.zadd(keys.quotaPart(l.quotaKey, 'leases'), 'XX', until, l.id);
      await pipe.exec();
    },

    async leave(quotaKey, turnId) {
      await redis
        .multi()
        .zrem(keys.quotaPart(quotaKey, 'wait'), turnId)
        .hdel(keys.quotaPart(quotaKey, 'wait-need'), turnId)
        .zrem(keys.quotaPart(quotaKey, 'wait-seen'), turnId)
        .exec();
    },

    async status(only) {
      const at = now();
      const names = only ?? (await redis.smembers(keys.quotaKeys)).sort();
      const out: QuotaStatus[] = [];
      for (const quotaKey of names) {
        const k = keysOf(quotaKey, at);
        // Only commands of the least-privilege ACL (docs/security.md).
        const [state, reservedByLease, inflight, waiting, throttles, today] = await Promise.all([
          redis.hgetall(k[0] as string),
          redis.hgetall(k[2] as string),
          redis.zrangebyscore(k[1] as string, at, '+inf'),
          redis.zcard(k[3] as string),
          redis.zrangebyscore(k[6] as string, at - 60_000, '+inf'),
          redis.hget(k[7] as string, 'tokens'),
        ]);
        const num = (f: string) => (state[f] === undefined ? undefined : Number(state[f]));
        const level = (f: string, cap: number | undefined) => {
          if (!cap) return undefined;
          const t = num(f);
          const ts = num(`${f}At`);
          return t === undefined || ts === undefined ? cap : Math.min(cap, t + (Math.max(0, at - ts) * cap) / 60_000);
        };
        const rpm = num('rpm') || undefined;
        const tpm = num('tpm') || undefined;
        const limit = num('limit');
        out.push({
          quotaKey,
          configured: {
            ...(rpm ? { rpm } : {}),
            ...(tpm ? { tpm } : {}),
            ...(num('tokensPerDay') ? { tokensPerDay: num('tokensPerDay') } : {}),
          },
          learnedConcurrency: limit === undefined ? null : Math.floor(limit),
          available: { requests: level('rpmTokens', rpm) ?? null, tokens: level('tpmTokens', tpm) ?? null },
          inFlight: inflight.length,
          // Live leases only: an expired one is swept at the next acquire or settle, but already counts no more.
          reservedTokens: inflight.reduce((a, id) => a + Number(reservedByLease[id] ?? 0), 0),
          waiting,
          throttlesLastMinute: throttles.length,
          tokensToday: Number(today ?? 0),
          totals: {
            admitted: num('admitted') ?? 0,
            waited: num('waited') ?? 0,
            throttled: num('throttled') ?? 0,
            leasesExpired: num('leasesExpired') ?? 0,
            dailyRefused: num('dailyRefused') ?? 0,
          },
        });
      }
      return out;
    },
  };
}
