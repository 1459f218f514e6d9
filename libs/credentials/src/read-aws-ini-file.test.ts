import { describe, expect, it } from 'vitest';
import { parseAwsIni, profileSection } from './read-aws-ini-file.ts';

describe('parseAwsIni', () => {
  it('reads sections, keys (case-insensitive) and skips comments and junk', () => {
    const f = parseAwsIni('# c\n[default]\nRegion = us-west-2\n; x\njunk line\n[profile dev]\nregion=eu-west-1\n');
    expect(profileSection(f, 'default', 'config')?.get('region')).toBe('us-west-2');
    expect(profileSection(f, 'dev', 'config')?.get('region')).toBe('eu-west-1');
    expect(profileSection(f, 'dev', 'credentials')).toBeUndefined();
  });
  it('keeps __proto__ / constructor as plain names', () => {
    const f = parseAwsIni('[__proto__]\nconstructor = 1\n[profile constructor]\nregion = us-east-2\n');
    expect(f.get('__proto__')?.get('constructor')).toBe('1');
    expect(profileSection(f, 'constructor', 'config')?.get('region')).toBe('us-east-2');
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
  });
});
