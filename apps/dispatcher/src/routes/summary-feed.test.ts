import { describe, expect, it } from 'vitest';
import type { ConsoleSummary } from '@turnpool/turn-store/client';
import { createSummaryFeed, type FeedDelivery } from './summary-feed.ts';

const summary = (n: number): ConsoleSummary => ({
  at: n,
  queue: { waiting: 0, active: 0, delayed: 0, prioritized: 0, failed: 0, completed: 0 },
  hosts: [],
  windowMinutes: 5,
  models: [],
  turns: [],
});
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createSummaryFeed', () => {
  it('reads once per interval for all subscribers of that interval, hands them the same frame, and stops with the last one', async () => {
    let reads = 0;
    const feed = createSummaryFeed(async () => summary(++reads));
    const got: FeedDelivery[][] = [[], [], []];
    const offs = got.map((list) => feed.subscribe(50, (d) => list.push(d)));
    await tick(5);
    expect(reads).toBe(1);
    expect(got.map((l) => l.length)).toEqual([1, 1, 1]);
    await tick(170);
    // ~4 reads in 175 ms at 50 ms, whatever the number of subscribers.
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(reads).toBeLessThanOrEqual(5);
    expect(got[0]).toEqual(got[2]);
    // A late subscriber gets the latest frame at once, without a read of its own.
    const before = reads;
    const late: FeedDelivery[] = [];
    const offLate = feed.subscribe(50, (d) => late.push(d));
    expect(late).toEqual([{ frame: `event: summary\ndata: ${JSON.stringify(summary(before))}\n\n` }]);
    expect(feed.pollers).toBe(1);
    for (const off of [...offs, offLate]) off();
    expect(feed.pollers).toBe(0);
    const stopped = reads;
    await tick(120);
    expect(reads).toBe(stopped);
  });

  it('hands a failed read to every subscriber', async () => {
    const feed = createSummaryFeed(async () => {
      throw new Error('Connection is closed.');
    });
    const got: FeedDelivery[] = [];
    const off = feed.subscribe(1000, (d) => got.push(d));
    await tick(5);
    expect(got).toEqual([{ error: new Error('Connection is closed.') }]);
    off();
    feed.close();
  });
});
