/** p50 / p95 / max of a sample (ms), rounded; zeros for an empty sample. */
export function summarize(values: readonly number[]): { n: number; p50: number; p95: number; max: number } {
  if (values.length === 0) return { n: 0, p50: 0, p95: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: Math.round(s.at(-1) ?? 0) };
}

/** Counts of each value. */
export function countBy<T>(items: readonly T[], key: (t: T) => string | null): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const i of items) {
    const k = key(i);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A seeded PRNG (the emulator's mulberry32) so a failing run can be replayed with its seed. */
export { seededRandom } from '@turnpool/bedrock-emulator';
