import { describe, expect, it } from 'vitest';
import { runSecurity } from './security.ts';

describe('chaos 7: API keys, Redis ACL user + TLS for every process, no secret anywhere', () => {
  it('401 for every bad key, least-privilege ACL user over rediss:// runs every path, requirepass URLs work, no fake secret leaks', async () => {
    const r = await runSecurity();
    expect(r.apiKeys.wrongShape).toEqual([]);
    expect(r.apiKeys.unauthorized).toBe(r.apiKeys.cases);
    expect(r.apiKeys.openPathsOk).toBe(true);
    expect(r.apiKeys.validKeyAccepted).toBe(true);
    expect(r.acl.deniedInAclLog).toEqual([]);
    expect(r.acl.lost).toBe(0);
    expect(r.acl.completed).toBe(5);
    expect(r.acl.failed).toEqual({ invalid_request: 1, 'turn-cancelled': 1 });
    expect(r.acl.outsideKeyRefused).toBe(true);
    expect(r.acl.dangerousRefused).toBe(true);
    // TLS is tested whenever openssl and a TLS-capable redis-server exist; otherwise the report says why.
    if (r.tls.tested) expect(r.tls.plainOnTlsPortRefused).toBe(true);
    else expect(r.tls.reason).toMatch(/openssl|TLS/);
    expect(r.requirepass).toMatchObject({ workerReady: true, dispatcherReady: true, wrongPasswordMasked: true });
    expect(r.requirepass.wrongPasswordExit).toMatch(/^1: .*refused the credentials/);
    expect(r.scan.keys).toBeGreaterThan(10);
    expect(r.scan.logBytes).toBeGreaterThan(1000);
    expect(r.scan.found).toEqual([]);
  }, 150_000);
});
