import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * Where `nx build console` writes the page: the `dist/` of the `@turnpool/console` package, found
 * as Node finds a package (from src/, dist/ and the CLI's bundle alike — a path relative to this
 * module's URL pointed outside the repository from apps/cli/bundle/).
 */
export const defaultConsoleDir = consoleDistDir();

function consoleDistDir(): string {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('@turnpool/console/package.json')), 'dist');
  } catch {
    // The console package is not installed beside the dispatcher: this path holds no build either,
    // and registerConsolePageRoute says in one line that /console is off.
    return fileURLToPath(new URL('../../../console/dist/', import.meta.url));
  }
}

/** `/console` and everything under it: static files that hold no data, so they need no API key (the page asks for one). */
export const isConsolePath = (urlPath: string): boolean => urlPath === '/console' || urlPath.startsWith('/console/');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// The page loads only its own files and talks only to this origin.
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface StaticFile {
  body: Buffer;
  type: string;
}

/** Every file under `dir`, by its path relative to it ('/'-separated). At most a few dozen files: the built page. */
function readTree(dir: string, rel = ''): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(path.join(dir, rel))) {
    const relPath = rel ? `${rel}/${name}` : name;
    const full = path.join(dir, relPath);
    if (statSync(full).isDirectory()) for (const [k, v] of readTree(dir, relPath)) files.set(k, v);
    else files.set(relPath, { body: readFileSync(full), type: contentTypes[path.extname(name)] ?? 'application/octet-stream' });
  }
  return files;
}

/**
 * Serves the operator console (apps/console's build) at `/console`: its files are read into
 * memory once, here, so a request never touches the file system (and no URL can name a file
 * outside the build). Any other path under `/console/` answers the page itself, so client-side
 * routes (`/console/turns/<id>`) work as shared links. Hashed assets are cached for a year, the
 * page is revalidated. Without a build the routes are not registered (one log line says so) and
 * the dispatcher runs as before. Returns whether the console is served.
 */
export function registerConsolePageRoute(app: FastifyInstance, dir: string = defaultConsoleDir): boolean {
  let files: Map<string, StaticFile>;
  try {
    files = readTree(dir);
  } catch {
    files = new Map();
  }
  const index = files.get('index.html');
  if (!index) {
    app.log.info({ dir }, 'console not built: /console is off (npx nx build console builds it)');
    return false;
  }
  app.get('/console', async (_req, reply) => reply.redirect('/console/', 302));
  app.get('/console/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    const file = files.get(rel);
    reply.headers(securityHeaders);
    if (file && rel !== 'index.html')
      return reply
        .header('content-type', file.type)
        .header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(file.body);
    // A missing asset is a 404, not the page (a stale tab asking for an old hash must see it fail).
    if (rel.startsWith('assets/')) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    return reply.header('content-type', index.type).header('cache-control', 'no-cache').send(index.body);
  });
  return true;
}
