import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsError } from './credentials-error.ts';
import { detectCredentials } from './detect-credentials.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'turnpool-cred-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** An env with an empty home and IMDS switched off, plus the given variables. */
const envOf = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...vars });
const writeAws = (name: 'config' | 'credentials', text: string) => {
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  writeFileSync(path.join(home, '.aws', name), text);
};

const keys = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY123456', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET' };

describe('detectCredentials: the documented order', () => {
  it('AWS_BEARER_TOKEN_BEDROCK wins over everything else', async () => {
    const c = await detectCredentials({ env: envOf({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKtoken-secret', ...keys, AWS_PROFILE: 'dev' }) });
    expect(c).toMatchObject({ source: 'bearer-token', present: true });
  });

  it('access key + secret come next, and beat AWS_PROFILE', async () => {
    const c = await detectCredentials({ env: envOf({ ...keys, AWS_PROFILE: 'dev' }) });
    expect(c).toMatchObject({ source: 'static-keys', present: true });
    expect(c.detail).toContain('AKIA…3456');
    expect(c.detail).not.toContain('AWS_SESSION_TOKEN');
  });

  it('mentions a session token when one is set (temporary keys)', async () => {
    const c = await detectCredentials({ env: envOf({ ...keys, AWS_SESSION_TOKEN: 'FwoGZXIvsessiontoken' }) });
    expect(c.source).toBe('static-keys');
    expect(c.detail).toContain('AWS_SESSION_TOKEN');
  });

  it('an access key id without its secret is ignored, with a note', async () => {
    const c = await detectCredentials({ env: envOf({ AWS_ACCESS_KEY_ID: keys.AWS_ACCESS_KEY_ID, AWS_PROFILE: 'dev' }) });
    expect(c.source).toBe('profile');
    expect(c.notes.join()).toMatch(/AWS_ACCESS_KEY_ID is set without its partner/);
  });

  it('AWS_PROFILE comes next, and AWS_PROFILE=default (the OpenClaw workaround) counts as present', async () => {
    expect(await detectCredentials({ env: envOf({ AWS_PROFILE: 'dev' }) })).toMatchObject({
      source: 'profile',
      profile: 'dev',
      present: true,
    });
    expect(await detectCredentials({ env: envOf({ AWS_PROFILE: 'default' }) })).toMatchObject({
      source: 'profile',
      profile: 'default',
      present: true,
    });
  });

  it('then the default chain: web identity', async () => {
    const c = await detectCredentials({
      env: envOf({ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' }),
    });
    expect(c).toMatchObject({ source: 'default-chain', present: true });
  });

  it('then the default chain: [default] in the shared credentials file', async () => {
    writeAws('credentials', `[default]\naws_access_key_id = AKIAFILEKEY\naws_secret_access_key = filesecret\n`);
    const c = await detectCredentials({ env: envOf({}) });
    expect(c).toMatchObject({ source: 'default-chain', profile: 'default', present: true });
  });

  it('then the default chain: an SSO [default] in the config file (AWS_CONFIG_FILE honoured)', async () => {
    const file = path.join(home, 'elsewhere.ini');
    writeFileSync(file, `[default]\nsso_session = corp\nregion = eu-west-1\n`);
    expect((await detectCredentials({ env: envOf({}) })).source).toBe('none');
    expect((await detectCredentials({ env: envOf({ AWS_CONFIG_FILE: file }) })).source).toBe('default-chain');
  });

  it('a [default] with only a region is not a credential', async () => {
    writeAws('config', `[default]\nregion = eu-west-1\n`);
    expect((await detectCredentials({ env: envOf({}) })).present).toBe(false);
  });

  it('the shared-file default beats container credentials', async () => {
    writeAws('credentials', `[default]\naws_access_key_id = AKIAFILEKEY\naws_secret_access_key = filesecret\n`);
    const c = await detectCredentials({ env: envOf({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' }) });
    expect(c.source).toBe('default-chain');
  });

  it('container credentials (relative or full URI) count as present without AWS_PROFILE', async () => {
    expect(await detectCredentials({ env: envOf({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' }) })).toMatchObject({
      source: 'container',
      present: true,
    });
    expect(
      await detectCredentials({ env: envOf({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' }) }),
    ).toMatchObject({ source: 'container', present: true });
  });

  it('nothing at all -> none, not present; AWS_EC2_METADATA_DISABLED skips the probe and says so', async () => {
    const c = await detectCredentials({ env: envOf({}) });
    expect(c).toMatchObject({ source: 'none', present: false });
    expect(c.notes.join()).toContain('AWS_EC2_METADATA_DISABLED=true');
  });

  it('probe: false skips the IMDS probe', async () => {
    const c = await detectCredentials({ env: { HOME: home }, probe: false });
    expect(c.source).toBe('none');
    expect(c.notes.join()).toContain('IMDS probe not requested');
  });

  it('empty variables count as unset', async () => {
    const c = await detectCredentials({
      env: envOf({ AWS_BEARER_TOKEN_BEDROCK: '', AWS_ACCESS_KEY_ID: ' ', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' }),
    });
    expect(c.source).toBe('none');
  });
});

describe('detectCredentials: identity hash', () => {
  it('is 16 hex chars, depends on the key id, not on the secret', async () => {
    const a = await detectCredentials({ env: envOf(keys) });
    const b = await detectCredentials({ env: envOf({ ...keys, AWS_SECRET_ACCESS_KEY: 'another-secret' }) });
    const c = await detectCredentials({ env: envOf({ ...keys, AWS_ACCESS_KEY_ID: 'AKIAOTHERKEY00000000' }) });
    expect(a.identityHash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.identityHash).toBe(a.identityHash);
    expect(c.identityHash).not.toBe(a.identityHash);
  });

  it('differs by bearer token without containing it, and by profile name', async () => {
    const t1 = await detectCredentials({ env: envOf({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKone' }) });
    const t2 = await detectCredentials({ env: envOf({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKtwo' }) });
    expect(t1.identityHash).not.toBe(t2.identityHash);
    const p1 = await detectCredentials({ env: envOf({ AWS_PROFILE: 'a' }) });
    const p2 = await detectCredentials({ env: envOf({ AWS_PROFILE: 'b' }) });
    expect(p1.identityHash).not.toBe(p2.identityHash);
  });

  it('no secret appears anywhere in the result', async () => {
    const secrets = ['ABSKsupersecrettoken', keys.AWS_SECRET_ACCESS_KEY, 'FwoGZXIvsessiontokenSECRET'];
    for (const env of [
      envOf({ AWS_BEARER_TOKEN_BEDROCK: secrets[0] as string }),
      envOf({ ...keys, AWS_SESSION_TOKEN: secrets[2] as string }),
    ]) {
      const text = JSON.stringify(await detectCredentials({ env }));
      for (const s of secrets) expect(text).not.toContain(s);
    }
  });
});

describe('detectCredentials: hostile and malformed values', () => {
  it('a bearer token with a newline (header injection) is refused, naming the variable, not the value', async () => {
    const err = await detectCredentials({ env: envOf({ AWS_BEARER_TOKEN_BEDROCK: 'ABSK\r\nx-evil: 1' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err).toMatchObject({ code: 'invalid_credentials', field: 'AWS_BEARER_TOKEN_BEDROCK', retryable: false });
    expect(String((err as Error).message)).not.toContain('x-evil');
  });

  it('an oversized secret is refused, naming the variable', async () => {
    const err = await detectCredentials({ env: envOf({ ...keys, AWS_SECRET_ACCESS_KEY: 'x'.repeat(5000) }) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'AWS_SECRET_ACCESS_KEY' });
    expect(String((err as Error).message)).not.toContain('xxxxxxxx');
  });

  it('AWS_PROFILE=__proto__ is just a name', async () => {
    writeAws('config', `[profile __proto__]\nregion = eu-west-1\n[__proto__]\nx=1\n`);
    expect(await detectCredentials({ env: envOf({ AWS_PROFILE: '__proto__' }) })).toMatchObject({
      source: 'profile',
      profile: '__proto__',
    });
  });

  it('a binary / malformed shared file is tolerated (nothing found)', async () => {
    writeAws('credentials', '\u0000\u0001[[[ = = \n[default\naws_access_key_id\n');
    expect((await detectCredentials({ env: envOf({}) })).source).toBe('none');
  });

  it('an oversized shared file throws, naming the file', async () => {
    writeAws('credentials', `[default]\n${'a = b\n'.repeat(200_000)}`);
    const err = await detectCredentials({ env: envOf({}) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_aws_config' });
    expect((err as CredentialsError).field).toContain(path.join('.aws', 'credentials'));
  });
});
