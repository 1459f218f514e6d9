import { describe, expect, it } from 'vitest';
import { resolveWorkerHostOptions } from './resolve-worker-host-options.ts';

const base = { redisUrl: 'redis://127.0.0.1:6379' };

describe('resolveWorkerHostOptions', () => {
  it('fills every default', () => {
    const o = resolveWorkerHostOptions(base);
    expect(o).toMatchObject({
      keyPrefix: 'turnpool',
      queueName: 'turns',
      minThreads: 1,
      concurrentTasksPerWorker: 64,
      inline: false,
      lockDurationMs: 5000,
      stalledIntervalMs: 2000,
      maxStalledCount: 2,
      shutdownGraceMs: 30_000,
      streamTtlSeconds: 86_400,
      streamLingerMs: 2,
      streamWriteRetryMs: 30_000,
      retryAfterOutput: false,
      timeouts: { firstChunkMs: 60_000, idleMs: 30_000, turnMs: 600_000 },
      connections: { sessionReuse: true, streamsPerSession: 32 },
    });
    expect(o.maxThreads).toBeGreaterThanOrEqual(1);
    // As in the config: what the host's threads can run at once (it was a fixed 256 here alone).
    expect(o.maxTurns).toBe(o.maxThreads * 64);
  });

  it('names the option that is wrong', () => {
    expect(() => resolveWorkerHostOptions({ redisUrl: '' })).toThrow(new TypeError('worker option redisUrl is required'));
    expect(() => resolveWorkerHostOptions({ ...base, maxTurns: 0 })).toThrow(
      /worker option maxTurns must be turns, an integer from 1 to 1000000, got 0/,
    );
    expect(() => resolveWorkerHostOptions({ ...base, maxThreads: 1.5 })).toThrow(/maxThreads/);
    expect(() => resolveWorkerHostOptions({ ...base, minThreads: 4, maxThreads: 2 })).toThrow(/minThreads \(4\) exceeds maxThreads \(2\)/);
    expect(() => resolveWorkerHostOptions({ ...base, concurrentTasksPerWorker: -1 })).toThrow(/concurrentTasksPerWorker/);
    expect(() => resolveWorkerHostOptions({ ...base, lockDurationMs: 10 })).toThrow(
      /lockDurationMs must be milliseconds, an integer from 1000 to 600000, got 10/,
    );
    expect(() => resolveWorkerHostOptions({ ...base, stalledIntervalMs: 5 })).toThrow(/stalledIntervalMs/);
    expect(() => resolveWorkerHostOptions({ ...base, maxStalledCount: -1 })).toThrow(/maxStalledCount/);
    expect(() => resolveWorkerHostOptions({ ...base, streamTtlSeconds: 0 })).toThrow(/streamTtlSeconds/);
    expect(() => resolveWorkerHostOptions({ ...base, shutdownGraceMs: 0 })).toThrow(
      /shutdownGraceMs must be milliseconds, an integer from 1000 to 3600000, got 0/,
    );
    expect(() => resolveWorkerHostOptions({ ...base, timeouts: { idleMs: -5 } })).toThrow(/timeouts.idleMs/);
    expect(() => resolveWorkerHostOptions({ ...base, connections: { streamsPerSession: 0 } })).toThrow(
      /worker option connections.streamsPerSession must be streams per session, an integer from 1 to 1000, got 0/,
    );
    expect(() => resolveWorkerHostOptions({ ...base, connections: { sessionReuse: 'yes' as unknown as boolean } })).toThrow(
      /worker option connections.sessionReuse must be true or false/,
    );
    expect(() => resolveWorkerHostOptions({ ...base, keyPrefix: '{x}' })).toThrow(/keyPrefix/);
    expect(() => resolveWorkerHostOptions({ ...base, keyPrefix: 'a'.repeat(65) })).toThrow(/keyPrefix/);
  });

  it('takes every key prefix the config file takes (acme.prod was refused here alone)', () => {
    expect(resolveWorkerHostOptions({ ...base, keyPrefix: 'acme.prod' }).keyPrefix).toBe('acme.prod');
    expect(resolveWorkerHostOptions({ ...base, queueName: 'turns.v2' }).queueName).toBe('turns.v2');
  });

  it('checks the default guardrail, naming the field, and hands it on as plain data', () => {
    expect(resolveWorkerHostOptions(base).guardrail).toBeUndefined();
    const guardrail = { guardrailIdentifier: 'abc123', guardrailVersion: 'DRAFT', trace: 'enabled' as const };
    expect(resolveWorkerHostOptions({ ...base, guardrail }).guardrail).toEqual(guardrail);
    const bad = (g: object) => () => resolveWorkerHostOptions({ ...base, guardrail: g as typeof guardrail });
    expect(bad({ guardrailIdentifier: 'abc123' })).toThrow(/worker option guardrail\.guardrailVersion/);
    expect(bad({ guardrailIdentifier: 'abc123', guardrailVersion: '1', trace: 'on' })).toThrow(/worker option guardrail\.trace/);
    expect(bad({ guardrailIdentifier: 'abc123', guardrailVersion: '1', extra: 1 })).toThrow(/worker option guardrail/);
  });

  it('accepts 0 to disable a watchdog and 0 stalls allowed', () => {
    const o = resolveWorkerHostOptions({ ...base, timeouts: { firstChunkMs: 0, idleMs: 0, turnMs: 0 }, maxStalledCount: 0 });
    expect(o.timeouts).toEqual({ firstChunkMs: 0, idleMs: 0, turnMs: 0 });
    expect(o.maxStalledCount).toBe(0);
  });

  it('returns frozen options: no layer changes a resolved value behind the others', () => {
    const o = resolveWorkerHostOptions(base);
    expect(Object.isFrozen(o) && Object.isFrozen(o.timeouts) && Object.isFrozen(o.admission)).toBe(true);
  });
});
