import type { ModelQuota, ThrottleReason } from './model-quota.ts';
import { bucketHas, createBucket, refillBucket, takeFromBucket, type TokenBucket } from './token-bucket.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The buckets of one (region, quota key), built from one quota table entry. */
interface KeyBuckets {
  region: string;
  key: string;
  quota: ModelQuota;
  rpm?: TokenBucket;
  tpm?: TokenBucket;
  daily?: TokenBucket;
}

/** Tokens an admitted call holds until it settles. */
export interface QuotaReservation {
  readonly tokens: number;
  /** The buckets it was taken from (a quota replaced meanwhile gets fresh buckets; this one settles into the old). */
  readonly buckets: KeyBuckets;
}

export type Admission = { ok: true; reservation: QuotaReservation } | { ok: false; reason: ThrottleReason };

/** Bucket levels of one (region, key) for the admin endpoint; a limit the quota does not set is absent. */
export interface BucketLevels {
  rpm?: number;
  tpm?: number;
  daily?: number;
}

/**
 * Bedrock's account quotas as token buckets per (region, model or profile id): RPM, TPM and tokens per day,
 * each full at first use and refilled continuously. Pure bucket math over a clock reading passed in, so tests
 * need no sleeps. Admission is all or nothing: a refused call takes nothing from any bucket.
 */
export class QuotaBuckets {
  private readonly entries = new Map<string, KeyBuckets>();

  /** Takes one request and `tokens` (the reservation) if every limit of `quota` has room, else names the first that has none. */
  admit(now: number, region: string, key: string, quota: ModelQuota, tokens: number): Admission {
    const e = this.entry(now, region, key, quota);
    for (const b of [e.rpm, e.tpm, e.daily]) if (b !== undefined) refillBucket(b, now);
    if (e.rpm !== undefined && !bucketHas(e.rpm, 1)) return { ok: false, reason: 'rpm' };
    if (e.tpm !== undefined && !bucketHas(e.tpm, tokens)) return { ok: false, reason: 'tpm' };
    if (e.daily !== undefined && !bucketHas(e.daily, tokens)) return { ok: false, reason: 'daily' };
    if (e.rpm !== undefined) takeFromBucket(e.rpm, 1);
    if (e.tpm !== undefined) takeFromBucket(e.tpm, tokens);
    if (e.daily !== undefined) takeFromBucket(e.daily, tokens);
    return { ok: true, reservation: { tokens, buckets: e } };
  }

  /**
   * Ends a reservation at `used` tokens: the unused part goes back (up to capacity), an overrun is taken
   * (the level may go below zero, which holds later calls back until the refill covers it). The request stays counted.
   */
  settle(now: number, reservation: QuotaReservation, used: number): void {
    const { tpm, daily } = reservation.buckets;
    for (const b of [tpm, daily]) {
      if (b === undefined) continue;
      refillBucket(b, now);
      takeFromBucket(b, used - reservation.tokens);
    }
  }

  /** Forgets every bucket (the next call of each key starts full). */
  clear(): void {
    this.entries.clear();
  }

  /** Current levels by region, then key, of the buckets in use under the current quotas. */
  levels(now: number, quotas: Readonly<Record<string, ModelQuota>>): Record<string, Record<string, BucketLevels>> {
    const out: Record<string, Record<string, BucketLevels>> = Object.create(null) as Record<string, Record<string, BucketLevels>>;
    for (const e of this.entries.values()) {
      if (!Object.hasOwn(quotas, e.key) || quotas[e.key] !== e.quota) continue;
      const levels: BucketLevels = {};
      for (const name of ['rpm', 'tpm', 'daily'] as const) {
        const b = e[name];
        if (b === undefined) continue;
        refillBucket(b, now);
        levels[name] = Math.round(b.level * 1000) / 1000;
      }
      (out[e.region] ??= Object.create(null) as Record<string, BucketLevels>)[e.key] = levels;
    }
    return out;
  }

  private entry(now: number, region: string, key: string, quota: ModelQuota): KeyBuckets {
    const id = `${region}\u0000${key}`;
    const found = this.entries.get(id);
    if (found !== undefined && found.quota === quota) return found;
    const e: KeyBuckets = { region, key, quota };
    if (quota.rpm !== undefined) e.rpm = createBucket(quota.rpm, MINUTE_MS, now);
    if (quota.tpm !== undefined) e.tpm = createBucket(quota.tpm, MINUTE_MS, now);
    if (quota.tpd !== undefined) e.daily = createBucket(quota.tpd, DAY_MS, now);
    this.entries.set(id, e);
    return e;
  }
}
