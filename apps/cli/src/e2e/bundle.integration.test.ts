import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { cleanupPrefix, noAwsCredentialsEnv, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { changedSinceBundle } from '../../bin/fresh-bundle.mjs';
import { turnpoolBin } from '../turnpool-bin.ts';

const bundleMain = fileURLToPath(new URL('../../bundle/main.js', import.meta.url));

/** `turnpool <args>` with plain node (no source condition): the bin runs the bundle when it is fresh. */
function runBuilt(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [turnpoolBin, ...args], {
    env: { ...process.env, ...noAwsCredentialsEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, closed: new Promise((resolve) => child.once('close', resolve)) };
}

async function waitFor(p: ReturnType<typeof runBuilt>, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const m = re.exec(p.output());
    if (m) return m;
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${re} within ${timeoutMs} ms; output:\n${p.output().slice(-2000)}`);
}

// The bundle (nx bundle cli, which this project's test target depends on) is the same code as
// dist/ in other files; what can differ is how modules meet: a dynamic import() of a CommonJS
// package gets only `default` in the bundle, threads load bundle/thread/run-turn-task.js. This
// runs what a user runs — the bin, built and bundled — through every such seam: discovery
// (ListFoundationModels), a turn in a piscina thread (ConverseStream), CountTokens.
describe('the bundled CLI (apps/cli/bundle), as `npm start` runs it (real processes)', () => {
  const prefix = uniquePrefix('bundle');
  const started: ReturnType<typeof runBuilt>[] = [];
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    const redis = new Redis(testRedisUrl());
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
  });

  it('starts on the emulator, discovers models, runs a turn in a thread and counts tokens', async () => {
    expect(existsSync(bundleMain), 'apps/cli/bundle is missing: npx nx bundle cli').toBe(true);
    // Fresh by the bin's rule (bin/fresh-bundle.mjs), else the bin would run dist/ and this would not test the bundle.
    expect(changedSinceBundle(), 'built after the bundle was made: npx nx bundle cli').toEqual([]);
    const env = { REDIS_URL: testRedisUrl(), TURNPOOL_KEY_PREFIX: prefix };
    const stack = runBuilt(['start', '--emulator', '--port', '0'], env);
    started.push(stack);
    const [, url] = await waitFor(stack, /turnpool is running: (http:\/\/127\.0\.0\.1:\d+)/, 90_000);

    const chat = runBuilt(['chat', 'hello [[say Hello from the bundle.]]', '--url', url as string], {});
    started.push(chat);
    expect(await chat.closed).toBe(0);
    expect(chat.output()).toContain('Hello from the bundle.');
    expect(chat.output()).toMatch(/\[end_turn\] \d+ in \/ \d+ out tokens/);

    const res = await fetch(`${url}/anthropic/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
        messages: [{ role: 'user', content: 'hello there' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);

    // The console's files are found from the bundle too (a path relative to the module's own URL pointed outside the repo from bundle/).
    const page = await fetch(`${url}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id=');

    stack.child.kill('SIGTERM');
    expect(await stack.closed).toBe(0);
  }, 200_000);
});
