import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.ts';

describe('redactSecrets', () => {
  it('removes access key ids, secret keys, API keys, bearer tokens and SigV4 fields', () => {
    const out = redactSecrets(
      'id AKIAIOSFODNN7EXAMPLE key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ABSKQmVkcm9ja0FQSUtleS1hYmM= Authorization: AWS4-HMAC-SHA256 Bearer tok.en Signature=deadbeef',
    );
    for (const s of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'ABSKQm', 'tok.en', 'deadbeef', 'AWS4-HMAC']) expect(out).not.toContain(s);
  });
  it('removes given secrets and leaves ordinary messages alone', () => {
    expect(redactSecrets('value sekret-value-1 here', ['sekret-value-1'])).toBe('value [redacted] here');
    const plain = 'Invocation of model ID anthropic.claude-3-5-haiku-20241022-v1:0 with on-demand throughput isn\u2019t supported.';
    expect(redactSecrets(plain)).toBe(plain);
  });
});
