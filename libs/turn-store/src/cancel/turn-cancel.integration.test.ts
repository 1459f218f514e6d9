import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { turnKeys } from '../turn-keys.ts';
import {
  cancelMessage,
  cancelledBy,
  parseCancelMessage,
  readCancelRequest,
  receiveCancels,
  requestCancel,
  type CancelMessage,
} from './turn-cancel.ts';

describe('turn cancel: request and receive over a real Redis', () => {
  const prefix = uniquePrefix('turn-cancel');
  const redis = new Redis(testRedisUrl());
  const subscriber = redis.duplicate();

  afterAll(async () => {
    await cleanupPrefix(redis, prefix);
    subscriber.disconnect();
    redis.disconnect();
  });

  it('a request sets the flag (with its TTL) and reaches a receiver as the same message', async () => {
    const got: CancelMessage[] = [];
    const malformed: string[] = [];
    const stop = await receiveCancels(
      subscriber,
      prefix,
      (m) => got.push(m),
      (raw) => malformed.push(raw),
    );
    await redis.publish(turnKeys(prefix).cancelChannel, 'not json');
    await redis.publish(turnKeys(prefix).cancelChannel, JSON.stringify({ turnId: '*', by: 'x' }));
    await requestCancel(redis, prefix, cancelMessage('t-1', 'client'), 60);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([{ turnId: 't-1', by: 'client' }]);
    expect(malformed).toEqual(['not json', '{"turnId":"*","by":"x"}']);
    expect(await readCancelRequest(redis, prefix, 't-1')).toBe('client');
    const ttl = await redis.ttl(turnKeys(prefix).cancelFlag('t-1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await readCancelRequest(redis, prefix, 't-2')).toBeNull();
    await stop();
    await requestCancel(redis, prefix, cancelMessage('t-3', 'late'), 60);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(1);
  });

  it('the message is bounded and checked; a cancel abort reason names who asked', () => {
    expect(cancelMessage('t', 'x'.repeat(100)).by).toHaveLength(64);
    expect(cancelMessage('t', '')).toEqual({ turnId: 't', by: 'api' });
    expect(parseCancelMessage({ turnId: 't', by: 'ops' })).toEqual({ turnId: 't', by: 'ops' });
    expect(parseCancelMessage('{"turnId":"t"}')).toEqual({ turnId: 't', by: 'api' });
    for (const bad of [null, 1, '{', '{"turnId":1}', { by: 'x' }, { turnId: '' }]) expect(parseCancelMessage(bad)).toBeUndefined();
    expect(cancelledBy({ kind: 'cancel', by: 'ops' })).toBe('ops');
    expect(cancelledBy({ kind: 'done' })).toBeUndefined();
    expect(cancelledBy(new Error('x'))).toBeUndefined();
  });
});
