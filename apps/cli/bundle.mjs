// `nx bundle cli`: the built CLI (dist/, from `nx build`) and the worker-thread entry as a few ESM
// files in bundle/, which apps/cli/bin/turnpool.mjs runs when they are there. A start then reads
// a handful of files instead of resolving and loading ~700 modules one by one (BullMQ alone is
// ~220), which is most of what a built `turnpool worker` spent before its ready line
// (docs/benchmarks.md §11). Same code as dist/, no minifying (stack traces stay readable).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const outdir = here('./bundle');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: {
    // The two modules bin/turnpool.mjs imports.
    main: here('./dist/main.js'),
    'node-version-note': here('./dist/node-version-note.js'),
    // Where the bundled worker host looks for it: ./thread/run-turn-task.js beside its own chunk.
    'thread/run-turn-task': fileURLToPath(new URL('./thread/run-turn-task.js', import.meta.resolve('@turnpool/worker'))),
  },
  outdir,
  bundle: true,
  splitting: true, // each command stays its own lazily loaded chunk (commands.ts)
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // CommonJS packages (the AWS SDK, ioredis, BullMQ) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __turnpoolCreateRequire } from 'node:module'; const require = __turnpoolCreateRequire(import.meta.url);",
  },
  external: [
    // Start their own threads from files inside their packages (piscina's worker, pino's transports).
    'piscina',
    'pino',
    // A native addon, found by path at run time.
    'msgpackr-extract',
    // Reads its fixtures beside its own files; loaded only by `turnpool emulator` and emulator mode.
    '@turnpool/bedrock-emulator',
  ],
  logLevel: 'warning',
  metafile: true,
});
writeFileSync(here('./bundle/meta.json'), JSON.stringify(result.metafile));

// What the bundle was made from, for bin/turnpool.mjs to tell a stale bundle (`nx build` ran
// after a change, `nx bundle` did not): each workspace package's tsbuildinfo (tsc rewrites it
// whenever it emits) and the lock file. Paths relative to this package's directory.
const root = here('../../');
const projects = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(?:\.\.\/)*((?:apps|libs|tools)\/[^/]+)\/dist\//.exec(relative(root, resolve(input)));
  if (m) projects.add(m[1]);
}
// With each file's SHA-256: bin/fresh-bundle.mjs tells a file touched without a change from a changed one.
const builtFrom = [...projects]
  .map((p) => join(root, p, 'dist/tsconfig.lib.tsbuildinfo'))
  .concat(join(root, 'package-lock.json'))
  .filter((f) => existsSync(f))
  .map((f) => ({ path: relative(here('.'), f), sha256: createHash('sha256').update(readFileSync(f)).digest('hex') }));
writeFileSync(here('./bundle/built-from.json'), `${JSON.stringify(builtFrom, null, 2)}\n`);
