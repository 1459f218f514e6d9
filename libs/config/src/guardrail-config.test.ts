import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig } from './load-config.ts';
import { parseConfigText } from './parse-config-text.ts';
import { setConfigValue } from './set-config-value.ts';

// The default guardrail lives where OpenClaw's Bedrock page puts it:
// plugins.entries["amazon-bedrock"].config.guardrail.
const at = (guardrail: unknown) => ({ plugins: { entries: { 'amazon-bedrock': { config: { guardrail } } } } });
const parse = (value: unknown) => parseConfigText(JSON.stringify(value, null, 2), { file: 'turnpool.json5' }).config;

function problemsOf(value: unknown) {
  try {
    parse(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const base = 'plugins.entries.amazon-bedrock.config.guardrail';

describe('config: plugins.entries["amazon-bedrock"].config.guardrail', () => {
  it("is absent by default and kept as written (OpenClaw's example)", () => {
    expect(parse({}).plugins.entries['amazon-bedrock']?.config?.guardrail).toBeUndefined();
    const guardrail = { guardrailIdentifier: 'abc123', guardrailVersion: '1', streamProcessingMode: 'sync', trace: 'enabled' };
    expect(parse(at(guardrail)).plugins.entries['amazon-bedrock']?.config?.guardrail).toEqual(guardrail);
    const arn = { guardrailIdentifier: 'arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123', guardrailVersion: 'DRAFT' };
    expect(parse(at(arn)).plugins.entries['amazon-bedrock']?.config?.guardrail).toEqual(arn);
  });

  it.each([
    ['guardrailIdentifier is required', { guardrailVersion: '1' }, `${base}.guardrailIdentifier`, 'is required', 'guardrail id'],
    ['guardrailVersion is required', { guardrailIdentifier: 'abc' }, `${base}.guardrailVersion`, 'is required', '"DRAFT"'],
    [
      'guardrailIdentifier is an id or ARN',
      { guardrailIdentifier: 'My Guardrail', guardrailVersion: '1' },
      `${base}.guardrailIdentifier`,
      'not allowed',
      'guardrail ARN',
    ],
    [
      'guardrailVersion is a number string or DRAFT',
      { guardrailIdentifier: 'abc', guardrailVersion: 'latest' },
      `${base}.guardrailVersion`,
      'not allowed',
      '"DRAFT"',
    ],
    [
      'trace is enabled, disabled or enabled_full',
      { guardrailIdentifier: 'abc', guardrailVersion: '1', trace: true },
      `${base}.trace`,
      'not allowed',
      '"enabled_full"',
    ],
    [
      'streamProcessingMode is sync or async',
      { guardrailIdentifier: 'abc', guardrailVersion: '1', streamProcessingMode: 'stream' },
      `${base}.streamProcessingMode`,
      'not allowed',
      '"async"',
    ],
    [
      'guardrail is strict',
      { guardrailIdentifier: 'abc', guardrailVersion: '1', version: '2' },
      `${base}.version`,
      'unknown key',
      'guardrailVersion',
    ],
  ])('%s', (_name, guardrail, keyPath, message, allowed) => {
    const p = problemsOf(at(guardrail)).find((x) => x.keyPath === keyPath);
    expect(p, keyPath).toBeDefined();
    expect(p?.message).toContain(message);
    expect(p?.allowed).toContain(allowed);
    expect(p?.line).toBeGreaterThan(0);
  });
});

describe('config set of the guardrail', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'turnpool-guardrail-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const lookup = () => ({ env: {}, cwd: dir, homeDir: join(dir, 'home') });

  it('sets the whole object in one go, then single keys', async () => {
    await setConfigValue({ ...lookup(), keyPath: base, value: { guardrailIdentifier: 'abc123', guardrailVersion: '1' } });
    await setConfigValue({ ...lookup(), keyPath: `${base}.trace`, value: 'enabled' });
    expect((await loadConfig(lookup())).config.plugins.entries['amazon-bedrock']?.config?.guardrail).toEqual({
      guardrailIdentifier: 'abc123',
      guardrailVersion: '1',
      trace: 'enabled',
    });
    await expect(setConfigValue({ ...lookup(), keyPath: `${base}.guardrailVersion`, value: 'v2' })).rejects.toThrow(/guardrailVersion/);
  });
});
