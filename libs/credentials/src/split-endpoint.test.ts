import { describe, expect, it } from 'vitest';
import { splitEndpoint } from './split-endpoint.ts';

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
