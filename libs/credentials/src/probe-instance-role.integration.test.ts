import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { detectCredentials } from './detect-credentials.ts';

interface FakeImds {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A local stand-in for 169.254.169.254 that records every request. */
async function startImds(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<FakeImds> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const imdsV2 = (role: string) => (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.method === 'PUT' && req.url === '/latest/api/token') {
    res.end('TOKEN-abc');
    return;
  }
  if (req.url === '/latest/meta-data/iam/security-credentials/' && req.headers['x-aws-ec2-metadata-token'] === 'TOKEN-abc') {
    res.end(`${role}\n`);
    return;
  }
  res.statusCode = 401;
  res.end();
};

let imds: FakeImds | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});
const env = (url: string): NodeJS.ProcessEnv => ({ HOME: '/nonexistent-home', AWS_EC2_METADATA_SERVICE_ENDPOINT: url });

describe('EC2 instance role detection (IMDS)', () => {
  it('finds the role with IMDSv2 (token PUT, then role GET)', async () => {
    imds = await startImds(imdsV2('bedrock-fleet-role'));
    const c = await detectCredentials({ env: env(imds.url) });
    expect(c).toMatchObject({ source: 'instance-role', present: true });
    expect(c.detail).toContain('bedrock-fleet-role');
    expect(imds.requests).toEqual(['PUT /latest/api/token', 'GET /latest/meta-data/iam/security-credentials/']);
  });

  it('50 concurrent callers and later ones share ONE probe (no probe storm)', async () => {
    const server = await startImds(imdsV2('shared-role'));
    imds = server;
    const results = await Promise.all(Array.from({ length: 50 }, () => detectCredentials({ env: env(server.url) })));
    await detectCredentials({ env: env(imds.url) });
    expect(new Set(results.map((r) => r.source))).toEqual(new Set(['instance-role']));
    expect(imds.requests).toHaveLength(2);
  });

  it('a failed probe is retried after a backoff (5 s, doubling), one probe at a time: a role attached later is found', async () => {
    const instance: { role?: string } = {}; // no role attached yet
    const server = await startImds((req, res) => {
      if (req.method === 'PUT') {
        res.end('TOKEN-abc');
        return;
      }
      if (instance.role === undefined) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.end(instance.role);
    });
    imds = server;
    let clock = 0;
    const detect = () => detectCredentials({ env: env(server.url), now: () => clock });
    expect((await detect()).source).toBe('none'); // failure 1: next probe after 5 s
    expect(server.requests).toHaveLength(2);
    clock += 4_999;
    expect((await detect()).source).toBe('none');
    expect(server.requests).toHaveLength(2);
    clock += 1;
    const burst = await Promise.all(Array.from({ length: 50 }, detect)); // failure 2: next after 10 s
    expect(new Set(burst.map((c) => c.source))).toEqual(new Set(['none']));
    expect(server.requests).toHaveLength(4);
    clock += 9_999;
    await detect();
    expect(server.requests).toHaveLength(4);
    clock += 1;
    await detect(); // failure 3: next after 20 s
    expect(server.requests).toHaveLength(6);
    instance.role = 'attached-later';
    clock += 20_000;
    const found = await detect();
    expect(found).toMatchObject({ source: 'instance-role', present: true });
    expect(found.detail).toContain('attached-later');
    expect(server.requests).toHaveLength(8);
    clock += 3_600_000;
    expect((await detect()).source).toBe('instance-role'); // a found role is kept: no more probes
    expect(server.requests).toHaveLength(8);
  });

  it('an unreachable IMDS at start: 50 callers make one request, not a storm', async () => {
    const server = await startImds(() => {
      /* hang */
    });
    imds = server;
    const results = await Promise.all(Array.from({ length: 50 }, () => detectCredentials({ env: env(server.url), imdsTimeoutMs: 100 })));
    expect(new Set(results.map((r) => r.source))).toEqual(new Set(['none']));
    expect(server.requests).toEqual(['PUT /latest/api/token']);
  });

  it('falls back to IMDSv1 when the token PUT is not supported', async () => {
    imds = await startImds((req, res) => {
      if (req.method === 'PUT') {
        res.statusCode = 405;
        res.end();
        return;
      }
      res.end('v1-role');
    });
    expect(await detectCredentials({ env: env(imds.url) })).toMatchObject({ source: 'instance-role' });
  });

  it('no role attached (404) -> none, and the negative result is cached too', async () => {
    imds = await startImds((req, res) => {
      if (req.method === 'PUT') {
        res.end('t');
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    expect((await detectCredentials({ env: env(imds.url) })).source).toBe('none');
    expect((await detectCredentials({ env: env(imds.url) })).source).toBe('none');
    expect(imds.requests).toHaveLength(2);
  });

  it('an IMDS that never answers -> none after the short timeout', async () => {
    imds = await startImds(() => {
      /* hang */
    });
    const c = await detectCredentials({ env: env(imds.url), imdsTimeoutMs: 100 });
    expect(c.source).toBe('none');
    expect(c.notes.join()).toMatch(/no EC2 instance role/);
  });

  it('a hostile role body (junk, oversized) is not taken as a role', async () => {
    imds = await startImds((req, res) => {
      if (req.method === 'PUT') {
        res.end('t');
        return;
      }
      res.end(`<html>${'x'.repeat(100_000)}`);
    });
    expect((await detectCredentials({ env: env(imds.url) })).source).toBe('none');
  });

  it('AWS_EC2_METADATA_DISABLED=true makes no request at all', async () => {
    imds = await startImds(imdsV2('never'));
    const c = await detectCredentials({ env: { ...env(imds.url), AWS_EC2_METADATA_DISABLED: 'true' } });
    expect(c.source).toBe('none');
    expect(imds.requests).toEqual([]);
  });

  it('earlier sources win without probing', async () => {
    imds = await startImds(imdsV2('never'));
    expect((await detectCredentials({ env: { ...env(imds.url), AWS_PROFILE: 'default' } })).source).toBe('profile');
    expect((await detectCredentials({ env: { ...env(imds.url), AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x' } })).source).toBe(
      'container',
    );
    expect(imds.requests).toEqual([]);
  });
});
