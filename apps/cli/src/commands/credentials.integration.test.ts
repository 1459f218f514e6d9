import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { sourceExecArgv } from '@turnpool/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo, startDenyingBedrock } from './cli-test-support.ts';
import { credentialsCommand } from './credentials.ts';
import { turnpoolBin as bin } from '../turnpool-bin.ts';

let emulator: EmulatorHandle;
let home: string;
beforeAll(async () => {
  emulator = await startEmulator();
  home = mkdtempSync(path.join(os.tmpdir(), 'turnpool-cli-cred-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});
const baseEnv = () => ({ HOME: home, AWS_EC2_METADATA_DISABLED: 'true', TURNPOOL_BEDROCK_ENDPOINT: emulator.url });

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...sourceExecArgv, bin, ...args], { env: { PATH: process.env['PATH'], ...env }, cwd: home });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('turnpool credentials', () => {
  it('prints source, region + rule, endpoint, identity hash, permission — and never a secret (child process)', async () => {
    const secrets = {
      AWS_BEARER_TOKEN_BEDROCK: 'ABSKsecretBearerToken123',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIsecretKeyValue',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEsessionSecret',
    };
    const r = await runCli(['credentials'], {
      ...baseEnv(),
      ...secrets,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEKEYID0000001',
      AWS_REGION: 'eu-west-1',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/source:\s+bearer-token/);
    expect(r.stdout).toMatch(/region:\s+eu-west-1 \(from AWS_REGION\)/);
    expect(r.stdout).toContain(`endpoint:             ${emulator.url}`);
    expect(r.stdout).toMatch(/identity hash:\s+[0-9a-f]{16}/);
    expect(r.stdout).toMatch(/ListFoundationModels:\s+yes/);
    expect(r.stdout).toMatch(/discovery:\s+on \(enabled unset and credentials are present\)/);
    for (const s of Object.values(secrets)) {
      expect(r.stdout + r.stderr).not.toContain(s);
      expect(r.stdout + r.stderr).not.toContain(s.slice(4, 16));
    }
  }, 30_000);

  it('--json prints the same facts as one JSON object, and no secret from the env (child process)', async () => {
    const secrets = { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIjsonSecretKeyValue', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEjsonSessionSecret' };
    const r = await runCli(['credentials', '--json'], {
      ...baseEnv(),
      ...secrets,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEKEYID0000001',
      AWS_REGION: 'eu-west-1',
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: true,
      source: 'static-keys',
      present: true,
      region: 'eu-west-1',
      regionFrom: 'AWS_REGION',
      endpoint: { runtime: emulator.url, control: emulator.url, awsDefault: false },
      config: null,
      discovery: { on: true, reason: 'enabled unset and credentials are present' },
      listFoundationModels: { checked: true, permitted: true },
    });
    expect(report['identityHash']).toMatch(/^[0-9a-f]{16}$/);
    expect(report['detail']).toContain('AWS_SECRET_ACCESS_KEY');
    for (const s of [...Object.values(secrets), 'AKIAFAKEKEYID0000001']) {
      expect(r.stdout + r.stderr).not.toContain(s);
      expect(r.stdout + r.stderr).not.toContain(s.slice(4, 16));
    }
  }, 30_000);

  it('--json without credentials: ok false, the fix in detail, no call made, exit 1', async () => {
    emulator.reset();
    const io = captureIo(baseEnv(), home);
    expect(await credentialsCommand.run(['--json'], io)).toBe(1);
    const report = JSON.parse(io.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: false,
      source: 'none',
      present: false,
      listFoundationModels: { checked: false, permitted: false },
      discovery: { on: false },
    });
    expect(report['detail']).toMatch(/^no AWS credentials found\. Set AWS_BEARER_TOKEN_BEDROCK/);
    expect(emulator.stats().calls.ListFoundationModels).toBe(0);
  });

  it('an EC2 instance role (IMDS) is detected without AWS_PROFILE, and the SDK chain signs with its credentials (child process)', async () => {
    const http = await import('node:http');
    const requests: string[] = [];
    const imds = http.createServer((req, res) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      if (req.method === 'PUT' && req.url === '/latest/api/token') {
        res.end('tok');
        return;
      }
      if (req.url === '/latest/meta-data/iam/security-credentials/') {
        res.end('fleet-role');
        return;
      }
      if (req.url === '/latest/meta-data/iam/security-credentials/fleet-role') {
        res.end(
          JSON.stringify({
            Code: 'Success',
            Type: 'AWS-HMAC',
            AccessKeyId: 'ASIAIMDSROLEKEY00001',
            SecretAccessKey: 'imds-secret-value',
            Token: 'imds-session-token-secret',
            Expiration: '2099-01-01T00:00:00Z',
            LastUpdated: '2026-01-01T00:00:00Z',
          }),
        );
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => imds.listen(0, '127.0.0.1', r));
    const { port } = imds.address() as import('node:net').AddressInfo;
    try {
      const { AWS_EC2_METADATA_DISABLED: _off, ...env } = baseEnv();
      const r = await runCli(['credentials'], { ...env, AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(r.stdout).toMatch(/source:\s+instance-role \(EC2 instance role fleet-role \(IMDS\)\)/);
      expect(r.stdout).toMatch(/discovery:\s+on/);
      expect(r.stdout).toMatch(/ListFoundationModels:\s+yes/);
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain('imds-secret-value');
      expect(requests.filter((q) => q === 'GET /latest/meta-data/iam/security-credentials/').length).toBeGreaterThanOrEqual(1);
    } finally {
      await new Promise<void>((r) => {
        imds.closeAllConnections();
        imds.close(() => r());
      });
    }
  }, 30_000);

  it('static keys with AWS_DEFAULT_REGION: says which rule won and masks the key id', async () => {
    const io = captureIo(
      {
        ...baseEnv(),
        AWS_ACCESS_KEY_ID: 'AKIAFAKEKEYID0000001',
        AWS_SECRET_ACCESS_KEY: 'topsecretvalue',
        AWS_DEFAULT_REGION: 'ap-south-1',
      },
      home,
    );
    expect(await credentialsCommand.run([], io)).toBe(0);
    expect(io.stdout).toMatch(/source:\s+static-keys \(AWS_ACCESS_KEY_ID AKIA…0001 \+ AWS_SECRET_ACCESS_KEY\)/);
    expect(io.stdout).toMatch(/region:\s+ap-south-1 \(from AWS_DEFAULT_REGION\)/);
    expect(io.stdout).not.toContain('topsecretvalue');
    expect(io.stdout).not.toContain('AKIAFAKEKEYID0000001');
  });

  it('AccessDenied -> "no: missing bedrock:ListFoundationModels", exit 1', async () => {
    const deny = await startDenyingBedrock();
    try {
      const io = captureIo(
        {
          ...baseEnv(),
          TURNPOOL_BEDROCK_ENDPOINT: deny.url,
          AWS_PROFILE: 'default',
          AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'creds'),
        },
        home,
      );
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(home, 'creds'), '[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n');
      expect(await credentialsCommand.run([], io)).toBe(1);
      expect(io.stdout).toMatch(/source:\s+profile \(AWS_PROFILE=default\)/);
      expect(io.stdout).toContain('ListFoundationModels: no: missing bedrock:ListFoundationModels');
    } finally {
      await deny.close();
    }
  });

  it('no credentials: says how to fix, exit 1, makes no call', async () => {
    emulator.reset();
    const io = captureIo(baseEnv(), home);
    expect(await credentialsCommand.run([], io)).toBe(1);
    expect(io.stdout).toMatch(/source:\s+none: no AWS credentials found\. Set AWS_BEARER_TOKEN_BEDROCK/);
    expect(io.stdout).toContain('AWS_EC2_METADATA_DISABLED=true');
    expect(io.stdout).toMatch(/discovery:\s+off \(enabled unset and no credentials were found\)/);
    expect(emulator.stats().calls.ListFoundationModels).toBe(0);
  });

  it('a hostile region value is refused, naming the variable', async () => {
    const io = captureIo({ ...baseEnv(), AWS_PROFILE: 'x', AWS_REGION: 'us-east-1\nINJECTED' }, home);
    await expect(credentialsCommand.run([], io)).rejects.toMatchObject({ code: 'invalid_region', field: 'AWS_REGION' });
  });

  it('unknown arguments are usage errors; --help exits 0', async () => {
    await expect(credentialsCommand.run(['--bogus'], captureIo(baseEnv(), home))).rejects.toThrow("Unknown option '--bogus'");
    expect(await credentialsCommand.run(['--help'], captureIo(baseEnv(), home))).toBe(0);
  });
});
