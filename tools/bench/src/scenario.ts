import type { Cell } from './format-table.ts';
import type { BenchStack } from './bench-stack.ts';

/** One table of a scenario (printed, and rendered in docs/benchmarks.md). */
export interface ResultTable {
  title: string;
  headers: string[];
  rows: Cell[][];
}

/** A target from the issue, judged on this run's figures. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** Why it was missed (or what limits it), in one or two sentences. */
  cause?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** How the load was shaped (pacing, concurrency, counts). */
  setup: string;
  tables: ResultTable[];
  notes: string[];
  targets: TargetCheck[];
  /** Raw figures for the JSON file. */
  data: Record<string, unknown>;
  /** Set when the result was recorded by a later `--only` run and merged into the full results (`--merge`). */
  recorded?: { date: string; command: string; durationS: number };
}

export interface ScenarioContext {
  stack: BenchStack;
  quick: boolean;
  log(msg: string): void;
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
