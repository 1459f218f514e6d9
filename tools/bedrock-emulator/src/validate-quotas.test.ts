import { describe, expect, it } from 'vitest';
import { defaultCatalog } from './catalog.ts';
import { EmulatorOptionsError } from './emulator-options-error.ts';
import { validateEmulatorOptions } from './validate-emulator-options.ts';
import { checkQuotaKeys, validateQuotas } from './validate-quotas.ts';

describe('validateQuotas', () => {
  it('returns a frozen copy; any subset of rpm/tpm/tpd, burndown optional', () => {
    const input = { 'us.amazon.nova-pro-v1:0': { rpm: 10, tpm: 0 }, 'amazon.nova-pro-v1:0': { tpd: 5, burndown: 2.5 } };
    const out = validateQuotas(input, 'quotas');
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
    expect(Object.isFrozen(out) && Object.isFrozen(out['amazon.nova-pro-v1:0'])).toBe(true);
    expect(validateEmulatorOptions({ quotas: input }, 'patch').quotas).toEqual(input);
  });

  it.each([
    ['not an object', [], 'quotas', /expected an object/],
    [
      'an ARN as key',
      { 'arn:aws:bedrock:us-east-1::foundation-model/x': { rpm: 1 } },
      'quotas["arn:aws:bedrock:us-east-1::foundation-model/x"]',
      /not an ARN/,
    ],
    ['__proto__ as key', JSON.parse('{"__proto__":{"rpm":1}}') as unknown, 'quotas["__proto__"]', /model id/],
    ['an entry that is not an object', { m: 5 }, 'quotas["m"]', /expected an object/],
    ['no limit at all', { m: { burndown: 5 } }, 'quotas["m"]', /at least one of rpm, tpm, tpd/],
    ['an unknown quota', { m: { rps: 1 } }, 'quotas["m"].rps', /unknown quota; allowed: rpm, tpm, tpd, burndown/],
    ['a negative rpm', { m: { rpm: -1 } }, 'quotas["m"].rpm', /integer in 0\.\./],
    ['a fractional tpm', { m: { tpm: 1.5 } }, 'quotas["m"].tpm', /integer/],
    ['a string tpd', { m: { tpd: '5' } }, 'quotas["m"].tpd', /integer/],
    ['a burndown below 1', { m: { rpm: 1, burndown: 0.5 } }, 'quotas["m"].burndown', /number in 1\.\.100/],
  ])('rejects %s with an error naming the entry', (_label, value, field, msg) => {
    try {
      validateEmulatorOptions({ quotas: value }, 'start');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EmulatorOptionsError);
      expect((err as EmulatorOptionsError).field).toBe(field);
      expect((err as EmulatorOptionsError).message).toMatch(msg);
    }
  });
});

describe('checkQuotaKeys', () => {
  it('accepts model ids and profile ids of the catalog and names an id it does not have', () => {
    const catalog = defaultCatalog();
    expect(() => checkQuotaKeys({ 'amazon.nova-pro-v1:0': { rpm: 1 }, 'us.amazon.nova-pro-v1:0': { rpm: 1 } }, catalog)).not.toThrow();
    expect(() => checkQuotaKeys({ 'amazon.nova-pro-v9:0': { rpm: 1 } }, catalog)).toThrow(
      'quotas["amazon.nova-pro-v9:0"]: "amazon.nova-pro-v9:0" is not a model id or inference profile id of the catalog',
    );
  });
});
