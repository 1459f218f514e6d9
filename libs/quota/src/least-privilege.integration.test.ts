import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { turnpoolAclRules } from '@turnpool/redis-connect';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { createAdmission } from './create-admission.ts';

// Admission runs on every worker host, so it must work as the documented least-privilege ACL
// user (docs/security.md): only its own keys, only the listed commands.

const admin = new Redis(testRedisUrl());
const prefix = uniquePrefix('quota-acl');
const user = `turnpool-test-${randomUUID().slice(0, 8)}`;
const password = randomUUID();
let limited: Redis | undefined;

afterAll(async () => {
  limited?.disconnect();
  await admin.call('ACL', 'DELUSER', user).catch(() => undefined);
  await cleanupPrefix(admin, prefix);
  admin.disconnect();
});

describe('admission as the least-privilege ACL user', () => {
  it('acquires, waits, settles (ok and throttled), renews, leaves and reads status with only the listed commands', async () => {
    await admin.call('ACL', 'SETUSER', user, ...turnpoolAclRules(prefix, password));
    const url = new URL(testRedisUrl());
    url.username = user;
    url.password = password;
    limited = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
    let clock = Date.now();
    const a = createAdmission({ redis: limited, keyPrefix: prefix, now: () => clock });
    const key = 'us-east-1/m';
    const budget = { rpm: 2, tpm: 1000, tokensPerDay: 100_000 };
    const one = await a.acquire(key, budget, 400, 't1');
    const two = await a.acquire(key, budget, 400, 't2');
    expect(await a.acquire(key, budget, 400, 't3')).toMatchObject({ status: 'wait', position: 1 });
    if (one.status !== 'admitted' || two.status !== 'admitted') throw new Error('not admitted');
    await a.renew([one.lease]);
    await a.settle(one.lease, budget, { usedTokens: 100, outcome: 'ok' });
    await a.settle(two.lease, budget, { usedTokens: 0, outcome: 'throttled' });
    clock += 70_000;
    await a.acquire(key, budget, 10, 't4');
    await a.leave(key, 't3');
    const [s] = await a.status();
    expect(s).toMatchObject({ quotaKey: key, waiting: 0, totals: { throttled: 1 } });
  });
});
