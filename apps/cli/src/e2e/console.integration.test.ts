import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { detectCredentials } from '@turnpool/credentials';
import { createBedrockClients } from '@turnpool/credentials/clients';
import { createCatalog } from '@turnpool/discovery';
import { startDispatcher, type RunningDispatcher } from '@turnpool/dispatcher';
import type { Catalog } from '@turnpool/protocol';
import { cleanupPrefix, spawnTurnpool, testRedisUrl, uniquePrefix, type TurnpoolProcess } from '@turnpool/testing';
import { turnpoolBin } from '../turnpool-bin.ts';

// The operator console in real headless Chromium (Debian's `chromium` through playwright-core)
// on a real stack: the console's real build served by an in-process dispatcher with an API key,
// two `turnpool worker` processes, the emulator, and Redis under this test's own key prefix.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const consoleDist = path.join(repoRoot, 'apps/console/dist');
const screenshots = path.join(repoRoot, 'docs/console');
const apiKey = 'console-e2e-key-Hq4wZr8sT1';
const readOnlyKey = 'console-e2e-readonly-Vb6nJ0';
const accessKey = 'AKIAFAKECONSOLE12345';
const secret = 'fake-console-secret-Lm3nB7vC2xQ9';
const model = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const markedModel = 'amazon.nova-pro-v1:0';

/** setup's Chromium (TURNPOOL_CHROMIUM from `npm test`), else setup finds or installs it now, else one line says what to install. */
function chromiumPath(): string {
  if (process.env.TURNPOOL_CHROMIUM) return process.env.TURNPOOL_CHROMIUM;
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'tools/setup/setup.mjs'), '--run', 'chromium-path'], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const found = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !existsSync(found))
    throw new Error(`no Chromium for the console browser test: ${r.stderr.trim().split('\n').at(-1)}`);
  return found;
}

/** The console as the dispatcher serves it: built now by its Nx target (cached when unchanged), so the test never sees a stale build. */
function buildConsole(): void {
  const nxDir = path.join(repoRoot, 'node_modules/nx');
  const nx = path.join(nxDir, (JSON.parse(readFileSync(path.join(nxDir, 'package.json'), 'utf8')) as { bin: { nx: string } }).bin.nx);
  const r = spawnSync(process.execPath, [nx, 'run', 'console:build', '--outputStyle=static'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`nx build console failed:\n${r.stdout}\n${r.stderr}`);
}

const filesUnder = (dir: string, rel = ''): string[] =>
  readdirSync(path.join(dir, rel)).flatMap((n) => {
    const p = rel ? `${rel}/${n}` : n;
    return statSync(path.join(dir, p)).isDirectory() ? filesUnder(dir, p) : [p];
  });

describe('operator console in headless Chromium (real stack)', () => {
  const prefix = uniquePrefix('console-e2e');
  let emulator: EmulatorHandle;
  let redis: Redis;
  let dispatcher: RunningDispatcher;
  let workerCatalog: Catalog;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const workers: TurnpoolProcess[] = [];
  /** Every body the page received (but the streams): none may hold a secret. */
  const bodies: { url: string; body: string }[] = [];

  const startWorker = async () => {
    const w = spawnTurnpool(turnpoolBin, ['worker', '--log-level', 'info'], {
      REDIS_URL: testRedisUrl(),
      TURNPOOL_KEY_PREFIX: prefix,
      TURNPOOL_BEDROCK_ENDPOINT: emulator.url,
      AWS_ACCESS_KEY_ID: accessKey,
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: '',
      AWS_BEARER_TOKEN_BEDROCK: '',
    });
    workers.push(w);
    await w.waitFor(/worker host \S+ ready/, 90_000);
    return w;
  };
  const post = async (text: string, turnModel = model) => {
    const res = await fetch(`${dispatcher.url}/v1/turns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: `amazon-bedrock/${turnModel}`, messages: [{ role: 'user', content: [{ text }] }] }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { turnId: string }).turnId;
  };
  const newPage = async () => {
    const p = await context.newPage();
    p.setDefaultTimeout(30_000);
    p.on('response', (res) => {
      const type = res.headers()['content-type'] ?? '';
      if (type.includes('event-stream')) return;
      res.text().then(
        (body) => bodies.push({ url: res.url(), body }),
        () => {
          // A navigation away discarded the body: nothing to check.
        },
      );
    });
    return p;
  };
  const enterKey = async (p: Page, key = apiKey) => {
    await p.locator('input[name="apiKey"]').fill(key);
    await p.getByRole('button', { name: 'Use key' }).click();
  };

  beforeAll(async () => {
    buildConsole();
    const executablePath = chromiumPath();
    emulator = await startEmulator({ ttftMs: 30, tokensPerSecond: 200, tokensPerChunk: 2 });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const env = { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secret, AWS_REGION: 'us-east-1' };
    const credentials = await detectCredentials({ env, probe: false });
    const { control } = createBedrockClients({ region: 'us-east-1', endpoint: emulator.url, credentials, env });
    const common = {
      redis,
      keyPrefix: prefix,
      control,
      region: 'us-east-1',
      credentialsIdentity: credentials.identityHash,
      credentialsPresent: true,
    };
    const catalog = createCatalog({ ...common, localTtlMs: 0 });
    workerCatalog = createCatalog({ ...common, unavailableTtlSeconds: 300 });
    dispatcher = await startDispatcher({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      catalog,
      region: 'us-east-1',
      port: 0,
      apiKeys: [apiKey],
      readOnlyApiKeys: [readOnlyKey],
    });
    await Promise.all([startWorker(), startWorker()]);
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 60_000,
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    page = await newPage();
    mkdirSync(screenshots, { recursive: true });
  }, 400_000);

  afterAll(async () => {
    await browser?.close().catch(() => {
      // The browser died already: nothing to close.
    });
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await dispatcher?.close();
    if (redis) {
      await cleanupPrefix(redis, prefix);
      redis.disconnect();
    }
    await emulator?.close();
  }, 60_000);

  it('asks for the API key when the API answers 401, keeps it in this tab (sessionStorage) and then goes live', async () => {
    await page.goto(`${dispatcher.url}/console/`);
    await expect.poll(() => page.getByRole('heading', { name: 'API key needed' }).isVisible()).toBe(true);
    await enterKey(page);
    await page.getByRole('heading', { name: 'API key needed' }).waitFor({ state: 'detached' });
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([apiKey]);
    await expect.poll(() => page.getByTestId('feed-status').textContent(), { timeout: 20_000 }).toMatch(/^live/);
  }, 60_000);

  it('shows a submitted turn in the table as it streams to its end, and its page shows the text, reasoning dimmed, the tool call and turn-end', async () => {
    const turnId = await post(
      'Weather please [[reasoning]] [[say Sunny with a light breeze over Paris.]] [[tool get_weather {"city":"Paris"}]] [[tokens-per-second 20]]',
    );
    const row = page.locator(`tr[data-turn-id="${turnId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(await row.locator('td').nth(2).textContent()).toBe(model);

    await row.getByRole('link', { name: turnId }).click();
    await page.waitForURL(`**/console/turns/${turnId}`);
    const output = page.getByTestId('turn-output');
    await expect.poll(() => output.textContent(), { timeout: 20_000 }).toContain('Sunny with a light breeze over Paris.');
    await expect.poll(() => page.getByTestId('terminal').textContent()).toMatch(/^turn-end: tool_use/);
    expect(await output.textContent()).toContain('tool call: get_weather');
    expect(await output.textContent()).toContain('{"city":"Paris"}');
    const reasoning = page.getByTestId('block-reasoning');
    expect(await reasoning.count()).toBe(1);
    // Dimmed: italic and lighter than the answer's text (page-side code as a string: the CLI's tsconfig has no DOM types).
    const style = (testId: string) =>
      page.evaluate(
        `(({ fontStyle, color }) => ({ fontStyle, color }))(getComputedStyle(document.querySelector('[data-testid="${testId}"]')))`,
      );
    const dim = (await style('block-reasoning')) as { fontStyle: string; color: string };
    const answer = (await style('block-text')) as { fontStyle: string; color: string };
    expect(dim.fontStyle).toBe('italic');
    expect(answer.fontStyle).toBe('normal');
    expect(dim.color).not.toBe(answer.color);
    await page.screenshot({ path: path.join(screenshots, 'turn.png'), fullPage: true });

    // The back button returns to the table; a shared link opens the turn in a new tab (which asks for the key: sessionStorage is per tab).
    await page.goBack();
    await page.waitForURL(`**/console/`);
    await page.getByTestId('turns-table').waitFor();
    const shared = await newPage();
    try {
      await shared.goto(`${dispatcher.url}/console/turns/${turnId}`);
      await enterKey(shared);
      await expect
        .poll(() => shared.getByTestId('turn-output').textContent(), { timeout: 20_000 })
        .toContain('Sunny with a light breeze over Paris.');
    } finally {
      await shared.close();
    }
  }, 120_000);

  it('cancels a slow running turn from its page with the same key', async () => {
    const turnId = await post('Write a long essay. [[tokens 3000]] [[tokens-per-second 20]]');
    await page.goto(`${dispatcher.url}/console/turns/${turnId}`);
    const output = page.getByTestId('turn-output');
    await expect.poll(async () => ((await output.textContent()) ?? '').length, { timeout: 30_000 }).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Cancel turn' }).focus();
    await page.keyboard.press('Enter'); // reachable from the keyboard
    await expect.poll(() => page.getByTestId('terminal').textContent(), { timeout: 30_000 }).toBe('turn-cancelled by console');
    expect(await page.getByRole('button', { name: 'Cancel turn' }).count()).toBe(0);
    const info = (await (
      await fetch(`${dispatcher.url}/v1/turns/${turnId}`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as { state: string };
    expect(info.state).toBe('cancelled');
  }, 90_000);

  it("a read-only key sees a running turn but its Cancel is refused with the API's 403", async () => {
    const turnId = await post('Another long essay. [[tokens 3000]] [[tokens-per-second 20]]');
    const viewer = await newPage();
    try {
      await viewer.goto(`${dispatcher.url}/console/turns/${turnId}`);
      await enterKey(viewer, readOnlyKey);
      const output = viewer.getByTestId('turn-output');
      await expect.poll(async () => ((await output.textContent()) ?? '').length, { timeout: 30_000 }).toBeGreaterThan(10);
      await viewer.getByRole('button', { name: 'Cancel turn' }).click();
      await expect
        .poll(() => viewer.getByTestId('cancel-note').textContent(), { timeout: 10_000 })
        .toBe('cancel refused: This API key is read-only: it cannot submit or cancel turns.');
      const info = (await (
        await fetch(`${dispatcher.url}/v1/turns/${turnId}`, { headers: { authorization: `Bearer ${apiKey}` } })
      ).json()) as {
        state: string;
      };
      expect(info.state).toBe('running');
    } finally {
      await viewer.close();
      await fetch(`${dispatcher.url}/v1/turns/${turnId}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } });
    }
  }, 60_000);

  it('shows a model marked unavailable', async () => {
    await page.goto(`${dispatcher.url}/console/`);
    await workerCatalog.markUnavailable(markedModel, 'AccessDeniedException: You do not have access to the model');
    const row = page.locator(`tr[data-model-id="${markedModel}"]`);
    await expect.poll(() => row.getAttribute('data-available'), { timeout: 45_000 }).toBe('no');
    expect(await row.locator('.mark').textContent()).toBe('unavailable');
    // The overview after the turns above (one succeeded, one cancelled), with the mark.
    await page.screenshot({ path: path.join(screenshots, 'overview.png'), fullPage: true });
    await page.locator('section[aria-labelledby="models-title"]').screenshot({ path: path.join(screenshots, 'models.png') });
  }, 90_000);

  it('drops a worker host from the hosts table after it is killed', async () => {
    await page.goto(`${dispatcher.url}/console/`);
    const hosts = page.locator('[data-testid="hosts-table"] tbody tr');
    await expect.poll(() => hosts.count(), { timeout: 30_000 }).toBe(2);
    await page.locator('section[aria-labelledby="hosts-title"]').screenshot({ path: path.join(screenshots, 'hosts.png') });
    const victim = workers[0] as TurnpoolProcess;
    const pid = victim.child.pid;
    expect(await page.locator(`tr[data-host-id$=":${pid}"]`).count()).toBe(1);
    await victim.stop('SIGKILL');
    await expect.poll(() => page.locator(`tr[data-host-id$=":${pid}"]`).count(), { timeout: 45_000, interval: 1000 }).toBe(0);
    expect(await hosts.count()).toBe(1);
  }, 90_000);

  it('serves no secret: no console file, and no answer the page read, holds the API key or the AWS credentials', async () => {
    const files = filesUnder(consoleDist);
    expect(files).toContain('index.html');
    for (const f of files) {
      const res = await fetch(`${dispatcher.url}/console/${f}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      for (const s of [apiKey, readOnlyKey, secret, accessKey]) expect(body, `${f} holds a secret`).not.toContain(s);
    }
    expect(bodies.length).toBeGreaterThan(5);
    for (const { url, body } of bodies)
      for (const s of [apiKey, readOnlyKey, secret, accessKey]) expect(body, `${url} holds a secret`).not.toContain(s);
  }, 30_000);
});
