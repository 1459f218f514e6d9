import { describe, expect, it } from 'vitest';
import { parseQuotaSpec } from './parse-quota-spec.ts';

describe('parseQuotaSpec', () => {
  it('parses an id (colons included) and any subset of the limits in any order', () => {
    expect(parseQuotaSpec('us.anthropic.claude-sonnet-4-20250514-v1:0=rpm:50,tpm:200000,burndown:5,tpd:1000000')).toEqual([
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      { rpm: 50, tpm: 200_000, burndown: 5, tpd: 1_000_000 },
    ]);
    expect(parseQuotaSpec('amazon.nova-micro-v1:0= tpm:1e6 ')).toEqual(['amazon.nova-micro-v1:0', { tpm: 1_000_000 }]);
  });

  it.each([
    ['rpm:5', /expected <model or profile id>=/],
    ['m=', /expected name:value/],
    ['m=rpm', /expected name:value/],
    ['m=rps:5', /unknown quota "rps"; allowed: rpm, tpm, tpd, burndown/],
    ['m=rpm:5,rpm:6', /rpm given twice/],
    ['m=tpm:lots', /tpm: expected a number, got "lots"/],
  ])('rejects %j quoting the spec', (spec, msg) => {
    expect(() => parseQuotaSpec(spec)).toThrow(msg);
    expect(() => parseQuotaSpec(spec)).toThrow(JSON.stringify(spec));
  });
});
