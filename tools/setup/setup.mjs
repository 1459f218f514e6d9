#!/usr/bin/env node
// turnpool bootstrap: plain Node, no dependencies. `npm start` and `npm test` run through it.
//
//   node tools/setup/setup.mjs --run <start|test|bench|chaos> [-- args...]
//   (its own flags, --run and --help, are parsed strictly: an unknown one exits 2 with the usage)
//
// 1. Checks the Node version against package.json "engines".
// 2. Installs node_modules (npm ci) when missing or older than package-lock.json.
// 3. `test`: checks the formatting (prettier --check .). Builds what the command runs built (`start`, `bench`: the CLI's dist/, through Nx's cache).
// 4. Finds Redis: REDIS_URL if set, else 127.0.0.1:6379 if it answers PING, else a
//    `redis-server` from PATH started on a free port with a temporary directory (stopped
//    when the command ends), else (Debian/Ubuntu, root) `apt-get install -y redis-server`
//    and then start it, else one line naming what to install.
// 5. `test` (and `chromium-path`): finds headless Chromium for the console's browser tests
//    (TURNPOOL_CHROMIUM, else `chromium` / `chromium-browser` on PATH), else (Debian/Ubuntu,
//    root) `apt-get install -y chromium`, else one line naming what to install.
// 6. Runs the command with REDIS_URL (and TURNPOOL_CHROMIUM) set.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseArgsStrict } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = (msg) => process.stderr.write(`[turnpool setup] ${msg}\n`);
const fail = (msg) => {
  process.stderr.write(`turnpool: ${msg}\n`);
  process.exit(1);
};

// Harnesses and tests run the TypeScript sources: the `@turnpool/source` export condition and
// tsx (docs/development.md, "Sources or dist"). `start` runs the built CLI (dist/, built first).
const fromSources = ['--conditions=@turnpool/source', '--import', 'tsx'];

/** Commands this script can run once the machine is ready. */
const commands = {
  start: (args) => [process.execPath, [path.join(root, 'apps/cli/bin/turnpool.mjs'), 'start', ...args]],
  test: (args) => [process.execPath, [nxBin(), 'run-many', '-t', 'typecheck', 'lint', 'test', '--outputStyle=stream', ...args]],
  bench: (args) => [process.execPath, [...fromSources, path.join(root, 'tools/bench/src/main.ts'), ...args]],
  chaos: (args) => [process.execPath, [...fromSources, path.join(root, 'tools/chaos/src/main.ts'), ...args]],
  // Prints the Redis URL the other commands would get (for scripts and for setup's own tests).
  'redis-url': () => [process.execPath, ['-e', 'console.log(process.env.REDIS_URL)']],
  // Prints the Chromium the browser tests use, installing it first when missing (the console's browser test runs this when started without setup).
  'chromium-path': () => [process.execPath, ['-e', 'console.log(process.env.TURNPOOL_CHROMIUM)']],
};

/**
 * Projects a command runs built (dist/, and the CLI's bundle/ that bin/turnpool.mjs prefers; the
 * bench times the built CLI): `nx run-many -t build bundle` first, cached by Nx, so it costs
 * nothing when the sources did not change. `test` builds what it needs through Nx's own
 * dependsOn (the install test's build dependencies).
 */
const buildsFirst = { start: ['cli'], bench: ['cli'] };

function build(projects) {
  log(`building ${projects.join(', ')} (nx build + bundle, cached)…`);
  const r = spawnSync(
    process.execPath,
    [nxBin(), 'run-many', '-t', 'build', 'bundle', `--projects=${projects.join(',')}`, '--outputStyle=static'],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    fail(`the build failed (see above): npx nx run-many -t build bundle --projects=${projects.join(',')}`);
  }
}

/**
 * `test` checks the formatting first (Prettier over the repository, a few seconds, so the Nx
 * lint targets stay ESLint only): an unformatted file fails the run with the fix named.
 */
function checkFormat() {
  const prettier = path.join(root, 'node_modules/prettier/bin/prettier.cjs');
  const r = spawnSync(process.execPath, [prettier, '--check', '.', '--log-level=warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('the files listed above are not formatted: npm run format (prettier --write .)');
}

/** nx's CLI entry, read from its package.json (its path moved between versions). */
function nxBin() {
  const dir = path.join(root, 'node_modules/nx');
  const { bin } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return path.join(dir, typeof bin === 'string' ? bin : bin.nx);
}

export const usage = `Usage: node tools/setup/setup.mjs --run <${Object.keys(commands).join('|')}> [-- args for the command]

Gets the machine ready (Node version, node_modules, Redis), then runs the command with REDIS_URL
set. setup's own flags are --run and --help; everything after the command name goes to the
command (npm start -- --port 9000, npm run bench -- --quick).
`;

/**
 * setup's own flags, strictly (an unknown one is refused, as every turnpool command does): the
 * arguments up to `--run <name>`. What follows the name belongs to the command; a leading `--`
 * is dropped. Returns `{ help }`, `{ name, args }` or `{ error }` (exit 2 with the usage).
 */
export function parseArgs(argv) {
  const at = argv.findIndex((a) => a === '--run' || a.startsWith('--run='));
  const end = at === -1 ? argv.length : argv[at] === '--run' ? at + 2 : at + 1;
  let values;
  try {
    ({ values } = parseArgsStrict({
      args: argv.slice(0, end),
      strict: true,
      allowPositionals: false,
      options: { run: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    return { error: e.message.trim().replace(/\s*\n\s*/g, ' ') };
  }
  if (values.help) return { help: true };
  const name = values.run;
  if (name === undefined || name === '') return { error: 'missing --run <command>' };
  if (!Object.hasOwn(commands, name))
    return { error: `unknown command "${name.slice(0, 40)}"; one of: ${Object.keys(commands).join(', ')}` };
  const rest = argv.slice(end);
  return { name, args: rest[0] === '--' ? rest.slice(1) : rest };
}

export function checkNode(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24 || major === 23;
  return ok ? null : `Node ${version} is too old: turnpool needs Node 20.19+, 22.12+ or 24+ (see https://nodejs.org).`;
}

export function needsInstall(dir = root) {
  const lock = path.join(dir, 'package-lock.json');
  const marker = path.join(dir, 'node_modules/.package-lock.json');
  if (!existsSync(marker)) return true;
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

function installDeps() {
  log('installing node_modules (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.error) fail(`could not run npm (${r.error.message}); install Node.js with npm and try again.`);
  if (r.status !== 0) fail('npm ci failed (see above); fix the error, then run the command again.');
}

/** PING a Redis URL with a raw RESP exchange (AUTH first when the URL has a password). */
export function pingRedis(url, timeoutMs = 1500) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      resolve(`not a valid URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
      return;
    }
    const port = Number(u.port || 6379);
    const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const opts = { host, port };
    const sock = u.protocol === 'rediss:' ? tls.connect({ ...opts, servername: host }) : net.connect(opts);
    const cmds = [];
    if (u.password) {
      const args = u.username
        ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)]
        : ['AUTH', decodeURIComponent(u.password)];
      cmds.push(args);
    }
    cmds.push(['PING']);
    const wire = cmds.map((a) => `*${a.length}\r\n${a.map((s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`).join('')}`).join('');
    let buf = '';
    const done = (err) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(err);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    sock.on('connect', () => sock.write(wire));
    sock.on('secureConnect', () => {});
    sock.on('error', (e) => done(e.code || e.message));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.startsWith('-')) return done(buf.split('\r\n')[0].slice(1));
      if (buf.includes('+PONG')) return done(null);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  for (const p of [`/usr/bin/${cmd}`, `/usr/local/bin/${cmd}`, `/usr/sbin/${cmd}`]) if (existsSync(p)) return p;
  return null;
}

async function startRedisServer(bin) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'turnpool-redis-'));
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if ((await pingRedis(url, 300)) === null) {
      const stop = () => {
        try {
          child.kill('SIGTERM');
        } catch {
          // Already exited: nothing to kill.
        }
        rmSync(dir, { recursive: true, force: true });
      };
      return { url, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  fail(`redis-server (${bin}) did not start on port ${port}: ${stderr.trim().split('\n').pop() || 'no output'}`);
}

function aptInstall(pkg, why) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform !== 'linux' || !isRoot || !existsSync('/etc/debian_version') || !which('apt-get')) return false;
  log(`${why}: installing ${pkg} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const up = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (up.status !== 0) return false;
  return spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env }).status === 0;
}

/**
 * The headless Chromium the console's browser tests drive (through playwright-core, which
 * brings no browser of its own): TURNPOOL_CHROMIUM if set, else `chromium` or
 * `chromium-browser` on PATH, else Debian's `chromium` package installed with apt-get (root
 * only; TURNPOOL_SETUP_NO_APT=1 forbids it). Returns `{ path }` or `{ error }` (one line).
 */
export function resolveChromium(env = process.env) {
  if (env.TURNPOOL_CHROMIUM) {
    return existsSync(env.TURNPOOL_CHROMIUM)
      ? { path: env.TURNPOOL_CHROMIUM }
      : { error: `TURNPOOL_CHROMIUM=${env.TURNPOOL_CHROMIUM} does not exist; install chromium or unset it.` };
  }
  const found = () => which('chromium') ?? which('chromium-browser');
  let bin = found();
  if (!bin && env.TURNPOOL_SETUP_NO_APT !== '1' && aptInstall('chromium', 'Chromium not found (the console browser tests need it)'))
    bin = found();
  return bin
    ? { path: bin }
    : {
        error:
          'the console browser tests need Chromium and none was found: install it (apt-get install chromium) or set TURNPOOL_CHROMIUM=/path/to/chromium',
      };
}

export async function resolveRedis(env = process.env) {
  if (env.REDIS_URL) {
    const err = await pingRedis(env.REDIS_URL);
    if (err) fail(`REDIS_URL does not answer PING (${err}); start that Redis or unset REDIS_URL.`);
    return { url: env.REDIS_URL, stop: () => {} };
  }
  // TURNPOOL_SETUP_LOCAL_REDIS moves the "already running locally" probe (setup's tests use it).
  const local = env.TURNPOOL_SETUP_LOCAL_REDIS || 'redis://127.0.0.1:6379';
  if ((await pingRedis(local, 800)) === null) return { url: local, stop: () => {} };
  // TURNPOOL_REDIS_SERVER names the binary to start; TURNPOOL_SETUP_NO_APT=1 forbids installing one.
  let bin = env.TURNPOOL_REDIS_SERVER ? (existsSync(env.TURNPOOL_REDIS_SERVER) ? env.TURNPOOL_REDIS_SERVER : null) : which('redis-server');
  if (!bin && env.TURNPOOL_SETUP_NO_APT !== '1' && aptInstall('redis-server', 'Redis not found')) bin = which('redis-server');
  if (!bin) {
    fail(
      'Redis is needed and none was found: install redis-server (apt-get install redis-server, brew install redis) or set REDIS_URL=redis://host:6379',
    );
  }
  const started = await startRedisServer(bin);
  log(`started redis-server at ${started.url} (stopped when this command ends)`);
  return started;
}

async function main() {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (parsed.error) {
    process.stderr.write(`turnpool setup: ${parsed.error}\n\n${usage}`);
    process.exit(2);
  }
  const nodeErr = checkNode();
  if (nodeErr) fail(nodeErr);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (!pkg.workspaces) fail('run this from the turnpool repository');
  if (needsInstall()) installDeps();
  if (parsed.name === 'test') checkFormat();
  if (buildsFirst[parsed.name]) build(buildsFirst[parsed.name]);
  const extraEnv = {};
  if (parsed.name === 'test' || parsed.name === 'chromium-path') {
    const chromium = resolveChromium();
    if (chromium.error) fail(chromium.error);
    extraEnv.TURNPOOL_CHROMIUM = chromium.path;
  }
  const redis = await resolveRedis();
  const [cmd, args] = commands[parsed.name](parsed.args);
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv, REDIS_URL: redis.url } });
  let stopping = false;
  const forward = (sig) => {
    stopping = true;
    if (child.exitCode === null) child.kill(sig);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('exit', (code, signal) => {
    redis.stop();
    if (signal && !stopping) process.stderr.write(`turnpool: command ended by ${signal}\n`);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => fail(e?.stack || String(e)));
}
