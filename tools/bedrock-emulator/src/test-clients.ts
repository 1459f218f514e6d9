import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * Test helper: real SDK clients against an emulator URL, static dummy credentials, us-east-1, 1 attempt.
 * `ca`: the certificate of a `tls` emulator, trusted by these clients only (their request handlers' TLS options).
 */
export function testClients(
  url: string,
  opts: { maxAttempts?: number; region?: string; ca?: string } = {},
): { runtime: BedrockRuntimeClient; control: BedrockClient } {
  const common = {
    endpoint: url,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    maxAttempts: opts.maxAttempts ?? 1,
  };
  const { ca } = opts;
  if (ca === undefined) return { runtime: new BedrockRuntimeClient(common), control: new BedrockClient(common) };
  return {
    runtime: new BedrockRuntimeClient({ ...common, requestHandler: new NodeHttp2Handler({ nodeHttp2ConnectOptions: { ca } }) }),
    control: new BedrockClient({ ...common, requestHandler: new NodeHttpHandler({ httpsAgent: { ca } }) }),
  };
}

/** A user message with one text block. */
export function userText(text: string): { role: 'user'; content: { text: string }[] } {
  return { role: 'user', content: [{ text }] };
}

/** The SigV4-looking header the emulator's presence check accepts (for fetch-based tests). */
export const fakeSigV4 = `AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20261124/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`;
