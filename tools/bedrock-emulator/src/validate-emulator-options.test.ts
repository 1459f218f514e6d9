import { describe, expect, it } from 'vitest';
import { EmulatorOptionsError } from './emulator-options-error.ts';
import { validateEmulatorOptions } from './validate-emulator-options.ts';

describe('validateEmulatorOptions', () => {
  it('accepts every option with a good value', () => {
    const good = {
      port: 0,
      host: '127.0.0.1',
      tls: true,
      ttftMs: 0,
      tokensPerSecond: 12.5,
      tokensPerChunk: 1,
      padding: false,
      faultRate: 0.5,
      faultKinds: ['cut', 'stall'],
      stallMs: 10,
      seed: 1,
      catalogFile: '/x.json',
      disabledModels: ['a'],
      requireAuth: false,
      unknownModelError: 'ValidationException',
      maxBodyBytes: 2048,
      quotas: { 'amazon.nova-pro-v1:0': { rpm: 1, tpm: 2, tpd: 3, burndown: 5 } },
      now: () => 0,
    };
    expect(validateEmulatorOptions(good, 'start')).toEqual(good);
  });

  it.each([
    ['port', 70000],
    ['port', 1.5],
    ['host', ''],
    ['tls', 'yes'],
    ['ttftMs', -1],
    ['tokensPerSecond', Number.NaN],
    ['tokensPerChunk', 0],
    ['padding', 'yes'],
    ['faultRate', 2],
    ['faultKinds', 'cut'],
    ['faultKinds', ['meteor']],
    ['stallMs', -5],
    ['seed', -1],
    ['catalogFile', 3],
    ['disabledModels', [1]],
    ['requireAuth', 1],
    ['unknownModelError', 'NotFound'],
    ['maxBodyBytes', 10],
    ['logger', {}],
    ['quotas', []],
    ['now', 1],
    ['nonsense', 1],
    ['__proto__', {}],
  ])('rejects %s = %j with an error naming the key', (key, value) => {
    const input = JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`) as Record<string, unknown>;
    if (Number.isNaN(value)) input[key] = value;
    try {
      validateEmulatorOptions(input, 'start');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EmulatorOptionsError);
      expect((err as EmulatorOptionsError).field.startsWith(key)).toBe(true);
      expect((err as EmulatorOptionsError).code).toBe('EMULATOR_INVALID_OPTION');
    }
  });

  it('refuses start-only keys in a patch and non-objects', () => {
    expect(() => validateEmulatorOptions({ host: '0.0.0.0' }, 'patch')).toThrow(/host: can only be set/);
    expect(() => validateEmulatorOptions({ now: () => 0 }, 'patch')).toThrow(/now: can only be set/);
    expect(() => validateEmulatorOptions({ tls: true }, 'patch')).toThrow(/tls: can only be set/);
    expect(() => validateEmulatorOptions('x', 'patch')).toThrow(/options: expected an object/);
    expect(validateEmulatorOptions(undefined, 'patch')).toEqual({});
  });
});
