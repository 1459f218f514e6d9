import { describe, expect, it } from 'vitest';
import { defaultCatalog, maxOutputTokensOf, parseCatalog, wireModelSummary } from './catalog.ts';

const model = { modelId: 'acme.text-v1', providerName: 'Acme', outputModalities: ['TEXT'] };

describe('catalog max output per model', () => {
  it('knows one for every text model of the built-in fixture', () => {
    const text = defaultCatalog().models.filter((m) => m.outputModalities.includes('TEXT'));
    expect(text.length).toBeGreaterThan(10);
    for (const m of text) expect([m.modelId, typeof m.maxOutputTokens]).toEqual([m.modelId, 'number']);
    const sonnet = text.find((m) => m.modelId === 'anthropic.claude-sonnet-4-20250514-v1:0');
    expect(sonnet && maxOutputTokensOf(sonnet)).toBe(64_000);
  });

  it('defaults to 4096 when a catalog file does not say, and rejects a bad value naming the entry', () => {
    const [m] = parseCatalog({ modelSummaries: [model] }, 'cat.json').models;
    expect(m && maxOutputTokensOf(m)).toBe(4096);
    expect(() => parseCatalog({ modelSummaries: [{ ...model, maxOutputTokens: 0 }] }, 'cat.json')).toThrow(
      'catalogFile: cat.json: modelSummaries[0].maxOutputTokens must be an integer in 1..10000000',
    );
  });

  it('stays off the wire', () => {
    const [m] = parseCatalog({ modelSummaries: [{ ...model, maxOutputTokens: 100 }] }, 'cat.json').models;
    expect(m && maxOutputTokensOf(m)).toBe(100);
    expect(m && Object.keys(wireModelSummary(m))).not.toContain('maxOutputTokens');
  });
});
