import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.ts';
import { defaultMaxThreads, defaultMaxTurns, resolveSetting, sharedSettings, type SharedSettingName } from './shared-settings.ts';

const names = Object.keys(sharedSettings) as SharedSettingName[];

/** A value each rule refuses, for the one-test-per-rule loop. */
const refused: Record<SharedSettingName, unknown> = {
  keyPrefix: '{x}',
  queueName: 'a:b',
  attempts: 0,
  backoffMs: -1,
  lockDurationMs: 999,
  stalledIntervalMs: 99,
  maxStalledCount: -1,
  shutdownGraceMs: 3_600_001,
  retentionSeconds: 0,
  retryAfterOutput: 'yes',
  firstChunkMs: 1.5,
  idleMs: -1,
  turnMs: 86_400_001,
  bodyLimitBytes: 1023,
  admissionEnabled: 1,
  maxWaitMs: -1,
  leaseTtlMs: 10,
  minThreads: 0,
  maxThreads: 1025,
  concurrentTasksPerWorker: 0,
  maxTurns: 0,
  eventLingerMs: 101,
  eventLingerBytes: 1023,
  eventWriteRetryMs: 600_001,
  bedrockSessionReuse: 'yes',
  bedrockStreamsPerSession: 0,
  unavailableTtlSeconds: 86_401,
  dispatcherHost: 'a b',
  dispatcherPort: 65_536,
  emulatorPort: -1,
  turnIndexMax: 9,
  heartbeatMs: 99,
  heartbeatTtlMs: 199,
};

describe('sharedSettings', () => {
  it.each(names)('%s: the default passes its own rule, and a bad value is refused naming the option', (name) => {
    const s = sharedSettings[name];
    if (s.default !== undefined) expect(s.schema.safeParse(s.default).success).toBe(true);
    expect(() => resolveSetting(name, refused[name], `test option ${name}`)).toThrow(
      new RegExp(`^test option ${name} must be ${s.schema.description?.replace(/[()]/g, '\\$&')}, got `),
    );
  });

  it('resolveSetting gives the default for undefined, the fallback for computed ones, and the value when it passes', () => {
    expect(resolveSetting('keyPrefix', undefined, 'x')).toBe('turnpool');
    expect(resolveSetting('keyPrefix', 'acme.prod', 'x')).toBe('acme.prod');
    expect(resolveSetting('maxTurns', undefined, 'x', defaultMaxTurns(2, 64))).toBe(128);
    expect(() => resolveSetting('maxTurns', undefined, 'x')).toThrow(/no default/);
    expect(defaultMaxThreads(10_000)).toBe(10_000);
  });

  it('the config file gets exactly these defaults', () => {
    const c = configSchema.parse({});
    expect(c.redis.keyPrefix).toBe(sharedSettings.keyPrefix.default);
    expect(c.queue).toEqual({
      name: sharedSettings.queueName.default,
      attempts: sharedSettings.attempts.default,
      backoffMs: sharedSettings.backoffMs.default,
      lockDurationMs: sharedSettings.lockDurationMs.default,
      stalledIntervalMs: sharedSettings.stalledIntervalMs.default,
      maxStalledCount: sharedSettings.maxStalledCount.default,
    });
    expect(c.pool.maxThreads).toBe(defaultMaxThreads(sharedSettings.minThreads.default));
    expect(c.pool.maxTurnsPerHost).toBe(defaultMaxTurns(c.pool.maxThreads, sharedSettings.concurrentTasksPerWorker.default));
    expect(c.shutdown.graceMs).toBe(sharedSettings.shutdownGraceMs.default);
    expect(c.dispatcher.bodyLimitBytes).toBe(sharedSettings.bodyLimitBytes.default);
    expect(c.streams.ttlSeconds).toBe(sharedSettings.retentionSeconds.default);
    expect(c.retry.afterOutput).toBe(sharedSettings.retryAfterOutput.default);
    expect(c.timeouts).toEqual({
      firstChunkMs: sharedSettings.firstChunkMs.default,
      idleMs: sharedSettings.idleMs.default,
      turnMs: sharedSettings.turnMs.default,
    });
    expect(c.dispatcher.host).toBe(sharedSettings.dispatcherHost.default);
    expect(c.dispatcher.port).toBe(sharedSettings.dispatcherPort.default);
    expect(c.emulator.port).toBe(sharedSettings.emulatorPort.default);
    expect(c.catalog.unavailableTtlSeconds).toBe(sharedSettings.unavailableTtlSeconds.default);
    expect(c.dispatcher.turnIndexMax).toBe(sharedSettings.turnIndexMax.default);
    expect(c.dispatcher.readOnlyApiKeys).toEqual([]);
    expect(c.pool.heartbeatMs).toBe(sharedSettings.heartbeatMs.default);
    expect(c.pool.heartbeatTtlMs).toBe(sharedSettings.heartbeatTtlMs.default);
  });

  it('a heartbeat that expires before the next beat is refused, naming heartbeatTtlMs', () => {
    const r = configSchema.safeParse({ pool: { heartbeatMs: 5000, heartbeatTtlMs: 5000 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['pool', 'heartbeatTtlMs']);
  });

  it('is frozen: no layer can change a rule or a default for the others', () => {
    expect(Object.isFrozen(sharedSettings)).toBe(true);
    for (const name of names) expect(Object.isFrozen(sharedSettings[name])).toBe(true);
    expect(() => {
      (sharedSettings.keyPrefix as { default: string }).default = 'other';
    }).toThrow(TypeError);
  });

  it('0 turns a watchdog off in the config too (the worker always took it)', () => {
    expect(configSchema.parse({ timeouts: { idleMs: 0, firstChunkMs: 0, turnMs: 0 } }).timeouts).toEqual({
      firstChunkMs: 0,
      idleMs: 0,
      turnMs: 0,
    });
  });

  it('the documented defaults in TurnpoolConfig name the values sharedSettings holds (they had drifted: 10000 vs 5000)', () => {
    const text = readFileSync(new URL('./turnpool-config.ts', import.meta.url), 'utf8');
    const cited = [...text.matchAll(/sharedSettings\.(\w+) \(([^)]+)\)/g)];
    expect(cited.length).toBeGreaterThan(10);
    for (const [, name, shown] of cited) {
      const value = sharedSettings[name as SharedSettingName].default;
      const rendered =
        typeof value === 'string' ? `'${value}'` : shown?.endsWith(' MiB') ? `${Number(value) / 1024 / 1024} MiB` : String(value);
      expect(`${name} (${rendered})`).toBe(`${name} (${shown})`);
    }
  });
});
