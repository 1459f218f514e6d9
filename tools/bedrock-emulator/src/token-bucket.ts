/** A token bucket: holds up to `capacity`, refilled continuously at capacity per `periodMs`. `level` may go below 0 (debt). */
export interface TokenBucket {
  readonly capacity: number;
  readonly periodMs: number;
  level: number;
  /** Clock reading of the last refill, in ms. */
  at: number;
}

/** Rounding slack, so refills that add up to a whole token in float arithmetic count as one. */
const EPSILON = 1e-9;

/** A full bucket at `now`. */
export function createBucket(capacity: number, periodMs: number, now: number): TokenBucket {
  return { capacity, periodMs, level: capacity, at: now };
}

/** Adds what flowed in since the last refill (never above capacity; a clock that goes back adds nothing). */
export function refillBucket(b: TokenBucket, now: number): void {
  if (now > b.at) b.level = Math.min(b.capacity, b.level + ((now - b.at) * b.capacity) / b.periodMs);
  b.at = Math.max(b.at, now);
}

/** Whether `n` can be taken now (call refillBucket first). */
export function bucketHas(b: TokenBucket, n: number): boolean {
  return b.level + EPSILON >= n;
}

/** Moves `n` out of the bucket (a negative `n` gives back, up to capacity). */
export function takeFromBucket(b: TokenBucket, n: number): void {
  b.level = Math.min(b.capacity, b.level - n);
}
