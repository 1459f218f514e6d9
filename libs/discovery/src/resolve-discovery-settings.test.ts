import { describe, expect, it } from 'vitest';
import { isDiscoveryEnabled, resolveDiscoverySettings, type DiscoverySettings } from './resolve-discovery-settings.ts';

describe('resolveDiscoverySettings', () => {
  it('fills the OpenClaw defaults', () => {
    expect(resolveDiscoverySettings({})).toMatchObject({
      refreshInterval: 3600,
      defaultContextWindow: 32_000,
      defaultMaxTokens: 4_096,
      providerFilter: [],
      enabled: undefined,
    });
  });
  it('the filter hash ignores case/order of providerFilter and changes with the defaults', () => {
    const a = resolveDiscoverySettings({ providerFilter: ['Anthropic', 'amazon'] }).filterHash;
    expect(resolveDiscoverySettings({ providerFilter: ['amazon', 'anthropic'] }).filterHash).toBe(a);
    expect(resolveDiscoverySettings({ providerFilter: ['amazon'] }).filterHash).not.toBe(a);
    expect(resolveDiscoverySettings({ providerFilter: ['amazon', 'anthropic'], defaultMaxTokens: 1 }).filterHash).not.toBe(a);
  });
  it.each([
    [{ refreshInterval: -1 }, 'models.bedrockDiscovery.refreshInterval'],
    [{ refreshInterval: 1.5 }, 'models.bedrockDiscovery.refreshInterval'],
    [{ refreshInterval: 1e12 }, 'models.bedrockDiscovery.refreshInterval'],
    [{ defaultContextWindow: 0 }, 'models.bedrockDiscovery.defaultContextWindow'],
    [{ defaultMaxTokens: '4096' }, 'models.bedrockDiscovery.defaultMaxTokens'],
    [{ providerFilter: 'anthropic' }, 'models.bedrockDiscovery.providerFilter'],
    [{ providerFilter: ['x'.repeat(100)] }, 'models.bedrockDiscovery.providerFilter'],
    [{ providerFilter: [''] }, 'models.bedrockDiscovery.providerFilter[0]'],
    [{ refreshInterval: 60, extra: 1 }, 'models.bedrockDiscovery'],
    [{ enabled: 'yes' }, 'models.bedrockDiscovery.enabled'],
  ])('%j -> error naming %s', (settings, key) => {
    expect(() => resolveDiscoverySettings(settings as unknown as DiscoverySettings)).toThrow(
      expect.objectContaining({ code: 'invalid_discovery_config', message: expect.stringContaining(key) }),
    );
  });
  it('names a bad manual model id by index', () => {
    expect(() => resolveDiscoverySettings({}, { models: [{ id: 'ok' }, { id: '' }] })).toThrow(
      /models\.providers\.amazon-bedrock\.models\[1\]\.id/,
    );
  });
  it('enabled undefined -> on exactly when credentials are present', () => {
    expect(isDiscoveryEnabled(undefined, true)).toBe(true);
    expect(isDiscoveryEnabled(undefined, false)).toBe(false);
    expect(isDiscoveryEnabled(false, true)).toBe(false);
    expect(isDiscoveryEnabled(true, false)).toBe(true);
  });
});
