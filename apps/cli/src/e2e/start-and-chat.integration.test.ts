import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  cleanupPrefix,
  noAwsCredentialsEnv as noAws,
  spawnTurnpool,
  testRedisUrl,
  uniquePrefix,
  type TurnpoolProcess,
} from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// What a user does on a fresh machine: `turnpool start` (no AWS credentials: the emulator),
// then `turnpool chat "hello"` in another terminal.

describe('turnpool start + turnpool chat (real processes)', () => {
  const prefix = uniquePrefix('start');
  let stack: TurnpoolProcess | undefined;

  afterAll(async () => {
    await stack?.stop('SIGKILL');
    const redis = new Redis(testRedisUrl());
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('starts on the emulator without credentials, says so in one line, and chat streams a reply', async () => {
    stack = spawnTurnpool(turnpoolBin, ['start', '--port', '0'], { ...noAws, REDIS_URL: testRedisUrl(), TURNPOOL_KEY_PREFIX: prefix });
    const [, url] = await stack.waitFor(/turnpool is running: (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    expect(stack.output()).toMatch(/^No AWS credentials found: using the Bedrock emulator at http:\/\/127\.0\.0\.1:\d+/m);

    const chat = spawnTurnpool(turnpoolBin, ['chat', 'hello [[say Hello from the emulator.]]', '--url', url as string], { NO_COLOR: '1' });
    expect(await chat.exited).toBe(0);
    expect(chat.output()).toContain('Hello from the emulator.');
    expect(chat.output()).toMatch(/\[end_turn\] \d+ in \/ \d+ out tokens/);

    const bad = spawnTurnpool(turnpoolBin, ['chat', 'hi', '--model', 'amazon-bedrock/no.such-model', '--url', url as string]);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/model_not_found \(model\): Unknown model "amazon-bedrock\/no\.such-model"\..*turnpool models list/);

    const unreachable = spawnTurnpool(turnpoolBin, ['chat', 'hi', '--url', 'http://127.0.0.1:1']);
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.output()).toContain('cannot reach the dispatcher');

    expect(await stack.stop('SIGTERM')).toBe(0);
    expect(stack.output()).toContain('SIGTERM: finishing running turns, then stopping');
  }, 120_000);

  it('refuses bad flags with exit 2 naming the flag', async () => {
    for (const [args, flag] of [
      [['start', '--port', 'eighty'], '--port'],
      [['start', '--redis-url', 'http://x'], '--redis-url'],
      [['chat'], 'prompt'],
      [['turns', 'tail', '../x'], 'turnId'],
    ] as const) {
      const p = spawnTurnpool(turnpoolBin, [...args], { ...noAws });
      expect(await p.exited).toBe(2);
      expect(p.output()).toContain(flag);
    }
  }, 60_000);
});
