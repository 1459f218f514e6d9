import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createBedrockClients } from './create-bedrock-clients.ts';
import { detectCredentials } from './detect-credentials.ts';

/** Records the headers of every request; answers like Bedrock would (empty catalog / a tiny reply). */
interface Recorder {
  url: string;
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function startControl(): Promise<Recorder> {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    headers.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'r1' });
    res.end('{"modelSummaries":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function startRuntime(): Promise<Recorder> {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http2.createServer((req, res) => {
    headers.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'r2' });
    res.end(
      JSON.stringify({
        output: { message: { role: 'assistant', content: [{ text: 'hi' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        metrics: { latencyMs: 1 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const base = { HOME: '/nonexistent-home', AWS_EC2_METADATA_DISABLED: 'true' };

describe('createBedrockClients', () => {
  it('bearer token: both clients send `Bearer <token>` and no SigV4', async () => {
    const control = await startControl();
    const runtime = await startRuntime();
    cleanups.push(control.close, runtime.close);
    const env = { ...base, AWS_BEARER_TOKEN_BEDROCK: 'ABSKtesttoken', AWS_ACCESS_KEY_ID: 'AKIAIGNORED', AWS_SECRET_ACCESS_KEY: 's' };
    const credentials = await detectCredentials({ env });
    const c1 = createBedrockClients({ region: 'us-east-1', endpoint: control.url, credentials, env });
    const c2 = createBedrockClients({ region: 'us-east-1', endpoint: runtime.url, credentials, env });
    await c1.control.send(new ListFoundationModelsCommand({}));
    await c2.runtime.send(new ConverseCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    for (const h of [control.headers[0], runtime.headers[0]]) {
      expect(h?.['authorization']).toBe('Bearer ABSKtesttoken');
      expect(h?.['x-amz-date']).toBeUndefined();
    }
    c1.control.destroy();
    c1.runtime.destroy();
    c2.control.destroy();
    c2.runtime.destroy();
  });

  it('static keys: SigV4 with the access key id, session token sent; a stray process bearer token is not used', async () => {
    const control = await startControl();
    cleanups.push(control.close);
    const before = process.env['AWS_BEARER_TOKEN_BEDROCK'];
    process.env['AWS_BEARER_TOKEN_BEDROCK'] = 'ABSKstray';
    cleanups.push(async () => {
      if (before === undefined) delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
      else process.env['AWS_BEARER_TOKEN_BEDROCK'] = before;
    });
    const env = { ...base, AWS_ACCESS_KEY_ID: 'AKIATESTKEY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'sess' };
    const credentials = await detectCredentials({ env });
    const { control: client, runtime } = createBedrockClients({ region: 'eu-west-1', endpoint: control.url, credentials, env });
    await client.send(new ListFoundationModelsCommand({}));
    const h = control.headers[0];
    expect(h?.['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTKEY\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
    expect(h?.['x-amz-security-token']).toBe('sess');
    client.destroy();
    runtime.destroy();
  });

  it('profile: credentials come from the named profile of an injected credentials file', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-prof-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'credentials');
    writeFileSync(file, '[dev]\naws_access_key_id = AKIAPROFILEKEY\naws_secret_access_key = profsecret\n');
    const control = await startControl();
    cleanups.push(control.close);
    const env = { ...base, AWS_PROFILE: 'dev', AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: path.join(dir, 'none') };
    const credentials = await detectCredentials({ env });
    const clients = createBedrockClients({ region: 'us-east-1', endpoint: control.url, credentials, env });
    await clients.control.send(new ListFoundationModelsCommand({}));
    expect(control.headers[0]?.['authorization']).toContain('Credential=AKIAPROFILEKEY/');
    clients.control.destroy();
    clients.runtime.destroy();
  });

  it('endpoint falls back to TURNPOOL_BEDROCK_ENDPOINT; maxAttempts defaults to 2 and is validated', async () => {
    const control = await startControl();
    cleanups.push(control.close);
    const env = { ...base, AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 's', TURNPOOL_BEDROCK_ENDPOINT: control.url };
    const credentials = await detectCredentials({ env });
    const clients = createBedrockClients({ region: 'us-east-1', credentials, env });
    expect(clients.endpoints).toEqual({ runtime: control.url, control: control.url });
    expect(await clients.control.config.maxAttempts()).toBe(2);
    await clients.control.send(new ListFoundationModelsCommand({}));
    expect(control.headers).toHaveLength(1);
    clients.control.destroy();
    clients.runtime.destroy();
    expect(() => createBedrockClients({ region: 'us-east-1', credentials, env, maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
