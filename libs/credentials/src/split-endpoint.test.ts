import { describe, expect, it } from 'vitest';
import { bedrockEndpoints, splitEndpoint } from './split-endpoint.ts';

describe('splitEndpoint', () => {
  it('a real bedrock-runtime URL gives the matching control-plane host', () => {
    expect(splitEndpoint('https://bedrock-runtime.us-east-1.amazonaws.com/')).toEqual({
      runtime: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      control: 'https://bedrock.us-east-1.amazonaws.com',
    });
  });
  it('any other URL (the emulator) serves both', () => {
    expect(splitEndpoint('http://127.0.0.1:8788')).toEqual({ runtime: 'http://127.0.0.1:8788', control: 'http://127.0.0.1:8788' });
  });
  it('none -> SDK defaults', () => {
    expect(splitEndpoint(undefined)).toEqual({});
  });
  it('rejects non-URLs and non-http schemes, naming the field', () => {
    expect(() => splitEndpoint('not a url')).toThrow(expect.objectContaining({ field: 'endpoint' }));
    expect(() => splitEndpoint('file:///etc/passwd')).toThrow(expect.objectContaining({ field: 'endpoint' }));
  });
});

describe('bedrockEndpoints', () => {
  it('the endpoint given wins over TURNPOOL_BEDROCK_ENDPOINT; a blank one counts as unset', () => {
    const env = { TURNPOOL_BEDROCK_ENDPOINT: 'http://127.0.0.1:9001' };
    expect(bedrockEndpoints('http://127.0.0.1:9002/', env)).toEqual({ runtime: 'http://127.0.0.1:9002', control: 'http://127.0.0.1:9002' });
    expect(bedrockEndpoints('  ', env)).toEqual({ runtime: 'http://127.0.0.1:9001', control: 'http://127.0.0.1:9001' });
    expect(bedrockEndpoints(undefined, {})).toEqual({});
  });
  it('a bad URL fails when checked, naming the field (the CLI checks before it builds any client)', () => {
    expect(() => bedrockEndpoints(undefined, { TURNPOOL_BEDROCK_ENDPOINT: 'ftp://x' })).toThrow(
      expect.objectContaining({ field: 'endpoint' }),
    );
  });
});
