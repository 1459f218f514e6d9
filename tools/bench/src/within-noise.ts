/** Which way a figure gets worse. */
export type Worse = 'higher' | 'lower';

/** One figure measured over alternating rounds of two modes (a baseline and a variant). */
export interface NoiseCheck {
  /** Mean over the baseline's rounds, and its rounds' min..max. */
  base: { mean: number; min: number; max: number };
  /** Mean over the variant's rounds, and its rounds' min..max. */
  variant: { mean: number; min: number; max: number };
  /** variant mean / base mean. */
  ratio: number;
  /** The variant's change in the worse direction, as a fraction of the base mean (0 when it is better). */
  worseBy: number;
  /** worseBy <= tolerance, or the variant's mean lies within the baseline rounds' min..max. */
  withinNoise: boolean;
}

const stats = (xs: readonly number[]) => {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length === 0
    ? { mean: Number.NaN, min: Number.NaN, max: Number.NaN }
    : { mean: v.reduce((a, b) => a + b, 0) / v.length, min: Math.min(...v), max: Math.max(...v) };
};

/**
 * Is a variant's figure (per round) within noise of the baseline's? Within when it is at most
 * `tolerance` (a fraction, 0.05 = 5 %) worse than the baseline's mean, or when its mean lies
 * within the spread (min..max) of the baseline's rounds. A better figure is always within. Not
 * within when either side has no finite figure.
 */
export function checkWithinNoise(base: readonly number[], variant: readonly number[], worse: Worse, tolerance = 0.05): NoiseCheck {
  const b = stats(base);
  const v = stats(variant);
  const ratio = v.mean / b.mean;
  const change = (v.mean - b.mean) / Math.abs(b.mean);
  const worseBy = Number.isFinite(change) ? Math.max(0, worse === 'higher' ? change : -change) : Number.NaN;
  const inSpread = v.mean >= b.min && v.mean <= b.max;
  return { base: b, variant: v, ratio, worseBy, withinNoise: Number.isFinite(worseBy) && (worseBy <= tolerance || inSpread) };
}
