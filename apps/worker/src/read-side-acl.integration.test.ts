import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { turnpoolAclRules } from '@turnpool/redis-connect';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import {
  appendTurnEvent,
  indexTurn,
  listHosts,
  listTurns,
  readModelMinutes,
  recordTurnEnd,
  startHostHeartbeat,
  turnKeys,
} from '@turnpool/turn-store';

// The console's read side is written by every worker host (heartbeat, the runner's record
// summary and minute figures) and the turn client: it must work as the documented
// least-privilege ACL user (docs/security.md), with only the listed commands.

const admin = new Redis(testRedisUrl());
const prefix = uniquePrefix('read-side-acl');
const user = `turnpool-test-${randomUUID().slice(0, 8)}`;
const password = randomUUID();
let limited: Redis | undefined;

afterAll(async () => {
  limited?.disconnect();
  await admin.call('ACL', 'DELUSER', user).catch(() => undefined);
  await cleanupPrefix(admin, prefix);
  admin.disconnect();
});

describe('the console read side as the least-privilege ACL user', () => {
  it('indexes, writes the record summary and minute figures, beats, and reads them back with only the listed commands', async () => {
    await admin.call('ACL', 'SETUSER', user, ...turnpoolAclRules(prefix, password));
    const url = new URL(testRedisUrl());
    url.username = user;
    url.password = password;
    limited = new Redis(url.toString(), { maxRetriesPerRequest: 1 });
    const r = limited;
    const keys = turnKeys(prefix);
    await r.hset(keys.record('t1'), { modelId: 'm1', ref: 'amazon-bedrock/m1', submittedAt: '1', fingerprint: 'f' });
    await r.expire(keys.record('t1'), 60);
    await indexTurn(r, prefix, 't1', Date.now(), 60, 10);
    const body = {
      type: 'turn-end' as const,
      stopReason: { unified: 'end_turn' as const, raw: 'end_turn' },
      message: { role: 'assistant' as const, content: [{ text: 'hi' }] },
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      cost: null,
      timings: { ttftMs: 12, totalMs: 20 },
    };
    expect(await appendTurnEvent(r, prefix, 't1', body, 60)).toBe(true);
    await recordTurnEnd(r, prefix, 't1', body); // a second end (as a racing writer would) is harmless
    const hb = await startHostHeartbeat({
      redis: r,
      keyPrefix: prefix,
      intervalMs: 100,
      ttlMs: 300,
      read: () => ({ hostId: 'h1', hostname: 'h', pid: 1, version: '0', startedAt: 1, threads: 1, runningTurns: 0, maxTurns: 1 }),
    });
    expect((await listTurns(r, prefix)).turns).toMatchObject([{ turnId: 't1', state: 'succeeded', ttftMs: 12, outputTokens: 2 }]);
    expect((await listHosts(r, prefix)).map((h) => h.hostId)).toEqual(['h1']);
    expect(await readModelMinutes(r, prefix, 5)).toEqual([{ modelId: 'm1', turns: 2, outputTokens: 4, ttftMs: [12, 12] }]);
    await hb.stop();
    expect(await listHosts(r, prefix)).toEqual([]);
    const denials = (await admin.call('ACL', 'LOG', '20')) as unknown[][];
    expect(JSON.stringify(denials)).not.toContain(user);
  });
});
