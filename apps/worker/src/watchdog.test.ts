import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TurnError } from '@turnpool/protocol';
import { Watchdog } from './watchdog.ts';

describe('Watchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const reason = (c: AbortController) => c.signal.reason as TurnError;

  it('aborts with first_chunk_timeout when nothing arrives', () => {
    const c = new AbortController();
    new Watchdog(c, { firstChunkMs: 100, idleMs: 50, turnMs: 1000 });
    vi.advanceTimersByTime(99);
    expect(c.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(reason(c)).toBeInstanceOf(TurnError);
    expect(reason(c).code).toBe('first_chunk_timeout');
  });

  it('aborts with idle_timeout when the gap between chunks is too long, not while chunks flow', () => {
    const c = new AbortController();
    const dog = new Watchdog(c, { firstChunkMs: 100, idleMs: 50, turnMs: 10_000 });
    for (let i = 0; i < 20; i++) {
      dog.chunk();
      vi.advanceTimersByTime(40);
    }
    expect(c.signal.aborted).toBe(false);
    vi.advanceTimersByTime(10);
    expect(reason(c).code).toBe('idle_timeout');
  });

  it('aborts with turn_timeout however busy the stream is, and stop() disarms everything', () => {
    const c = new AbortController();
    const dog = new Watchdog(c, { firstChunkMs: 100, idleMs: 50, turnMs: 300 });
    for (let i = 0; i < 10; i++) {
      dog.chunk();
      vi.advanceTimersByTime(30);
    }
    expect(reason(c).code).toBe('turn_timeout');
    const c2 = new AbortController();
    new Watchdog(c2, { firstChunkMs: 10, idleMs: 10, turnMs: 10 }).stop();
    vi.advanceTimersByTime(100);
    expect(c2.signal.aborted).toBe(false);
  });

  it('0 disables a timer', () => {
    const c = new AbortController();
    const dog = new Watchdog(c, { firstChunkMs: 0, idleMs: 0, turnMs: 0 });
    dog.chunk();
    vi.advanceTimersByTime(1_000_000);
    expect(c.signal.aborted).toBe(false);
  });
});
