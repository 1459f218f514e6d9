import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRegion } from './resolve-region.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'turnpool-region-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));
const writeConfig = (text: string) => {
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  writeFileSync(path.join(home, '.aws', 'config'), text);
};

describe('resolveRegion: config > AWS_REGION > AWS_DEFAULT_REGION > profile > us-east-1', () => {
  const all = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' };

  it('config wins', () => {
    expect(resolveRegion({ configRegion: 'us-west-2', env: { ...all, HOME: home }, profileRegion: 'ca-central-1' })).toEqual({
      region: 'us-west-2',
      from: 'config',
    });
  });
  it('then AWS_REGION', () => {
    expect(resolveRegion({ env: { ...all, HOME: home }, profileRegion: 'ca-central-1' })).toEqual({
      region: 'eu-west-1',
      from: 'AWS_REGION',
    });
  });
  it('then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion({ env: { AWS_DEFAULT_REGION: 'ap-south-1', HOME: home }, profileRegion: 'ca-central-1' })).toEqual({
      region: 'ap-south-1',
      from: 'AWS_DEFAULT_REGION',
    });
  });
  it('then the given profile region', () => {
    expect(resolveRegion({ env: { HOME: home }, profileRegion: 'ca-central-1' })).toEqual({ region: 'ca-central-1', from: 'profile' });
  });
  it('then the region of [default] in ~/.aws/config', () => {
    writeConfig('[default]\nregion = eu-central-1\n[profile dev]\nregion = us-east-2\n');
    expect(resolveRegion({ env: { HOME: home } })).toEqual({ region: 'eu-central-1', from: 'profile' });
  });
  it('of [profile <AWS_PROFILE>] when AWS_PROFILE is set', () => {
    writeConfig('[default]\nregion = eu-central-1\n[profile dev]\nregion = us-east-2\n');
    expect(resolveRegion({ env: { HOME: home, AWS_PROFILE: 'dev' } })).toEqual({ region: 'us-east-2', from: 'profile' });
  });
  it('AWS_CONFIG_FILE is honoured', () => {
    const file = path.join(home, 'custom-config');
    writeFileSync(file, '[default]\nregion = sa-east-1\n');
    expect(resolveRegion({ env: { HOME: home, AWS_CONFIG_FILE: file } })).toEqual({ region: 'sa-east-1', from: 'profile' });
  });
  it('else us-east-1', () => {
    expect(resolveRegion({ env: { HOME: home } })).toEqual({ region: 'us-east-1', from: 'default' });
  });
  it('empty strings are unset', () => {
    expect(resolveRegion({ configRegion: '', env: { HOME: home, AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-north-1' } })).toEqual({
      region: 'eu-north-1',
      from: 'AWS_DEFAULT_REGION',
    });
  });
});

describe('resolveRegion: malformed values name their source', () => {
  it.each([
    [{ configRegion: 'us east 1' }, 'models.bedrockDiscovery.region'],
    [{ env: { AWS_REGION: 'us-east-1; rm -rf /' } }, 'AWS_REGION'],
    [{ env: { AWS_DEFAULT_REGION: '__proto__' } }, 'AWS_DEFAULT_REGION'],
    [{ env: { AWS_REGION: `us-${'x'.repeat(100)}-1` } }, 'AWS_REGION'],
    [{ profileRegion: 'US-EAST-1' }, 'profile region'],
  ])('%j -> error naming %s', (opts, field) => {
    expect(() => resolveRegion({ env: { HOME: home }, ...opts })).toThrow(expect.objectContaining({ code: 'invalid_region', field }));
  });
});
