import { describe, expect, it } from 'vitest';
import { resolveWorkerHostOptions } from './resolve-worker-host-options.ts';

const base = { redisUrl: 'redis://127.0.0.1:6379' };

describe('resolveWorkerHostOptions', () => {
  it('fills every default', () => {
    const o = resolveWorkerHostOptions(base);
    expect(o).toMatchObject({
      keyPrefix: 'turnpool', queueName: 'turns', maxTurns: 256, minThreads: 1, concurrentTasksPerWorker: 64, inline: false,
      lockDurationMs: 5000, stalledIntervalMs: 2000, maxStalledCount: 2, shutdownGraceMs: 30_000, streamTtlSeconds: 86_400,
      retryAfterOutput: false, timeouts: { firstChunkMs: 60_000, idleMs: 30_000, turnMs: 600_000 },
    });
    expect(o.maxThreads).toBeGreaterThanOrEqual(1);
  });

  it('names the option that is wrong', () => {
    expect(() => resolveWorkerHostOptions({ redisUrl: '' })).toThrow(new TypeError('worker option redisUrl is required'));
    expect(() => resolveWorkerHostOptions({ ...base, maxTurns: 0 })).toThrow(/worker option maxTurns must be an integer >= 1, got 0/);
    expect(() => resolveWorkerHostOptions({ ...base, maxThreads: 1.5 })).toThrow(/maxThreads/);
    expect(() => resolveWorkerHostOptions({ ...base, minThreads: 4, maxThreads: 2 })).toThrow(/minThreads \(4\) exceeds maxThreads \(2\)/);
    expect(() => resolveWorkerHostOptions({ ...base, concurrentTasksPerWorker: -1 })).toThrow(/concurrentTasksPerWorker/);
    expect(() => resolveWorkerHostOptions({ ...base, lockDurationMs: 10 })).toThrow(/lockDurationMs must be an integer >= 1000/);
    expect(() => resolveWorkerHostOptions({ ...base, stalledIntervalMs: 5 })).toThrow(/stalledIntervalMs/);
    expect(() => resolveWorkerHostOptions({ ...base, maxStalledCount: -1 })).toThrow(/maxStalledCount/);
    expect(() => resolveWorkerHostOptions({ ...base, streamTtlSeconds: 0 })).toThrow(/streamTtlSeconds/);
    expect(() => resolveWorkerHostOptions({ ...base, shutdownGraceMs: 0 })).toThrow(/shutdownGraceMs must be an integer >= 1000, got 0/);
    expect(() => resolveWorkerHostOptions({ ...base, timeouts: { idleMs: -5 } })).toThrow(/timeouts.idleMs/);
    expect(() => resolveWorkerHostOptions({ ...base, keyPrefix: '{x}' })).toThrow(/keyPrefix/);
    expect(() => resolveWorkerHostOptions({ ...base, keyPrefix: 'a'.repeat(65) })).toThrow(/keyPrefix/);
  });

  it('accepts 0 to disable a watchdog and 0 stalls allowed', () => {
    const o = resolveWorkerHostOptions({ ...base, timeouts: { firstChunkMs: 0, idleMs: 0, turnMs: 0 }, maxStalledCount: 0 });
    expect(o.timeouts).toEqual({ firstChunkMs: 0, idleMs: 0, turnMs: 0 });
    expect(o.maxStalledCount).toBe(0);
  });
});
