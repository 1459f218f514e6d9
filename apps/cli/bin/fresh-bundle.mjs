// Whether apps/cli/bundle is fresh: made from what is built now. One rule for the bin (which runs
// the bundle when fresh, else dist/) and the bundle test. bundle.mjs records, in
// bundle/built-from.json, each workspace package's tsbuildinfo (tsc rewrites it whenever it emits)
// and the lock file, with the SHA-256 of each. A file not newer than the bundle is unchanged; a
// newer one is unchanged when its content hash is the recorded one (Nx restoring a build from its
// cache, or tsc rewriting identical build info, touches the file without changing it: by time
// alone the bin then ran dist/ and the bundle test failed). A missing file counts as unchanged.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

const sha256 = (url) => createHash('sha256').update(readFileSync(url)).digest('hex');

/**
 * The files recorded in built-from.json that changed since the bundle was made (paths as
 * recorded, relative to the package directory); throws ENOENT when there is no bundle.
 */
export function changedSinceBundle(packageDir = new URL('../', import.meta.url)) {
  const madeAt = statSync(new URL('bundle/main.js', packageDir)).mtimeMs;
  const builtFrom = JSON.parse(readFileSync(new URL('bundle/built-from.json', packageDir), 'utf8'));
  return builtFrom
    .filter(({ path, sha256: recorded }) => {
      const url = new URL(path, packageDir);
      const st = statSync(url, { throwIfNoEntry: false });
      return st !== undefined && st.mtimeMs > madeAt && sha256(url) !== recorded;
    })
    .map(({ path }) => path);
}

/** The bundle's main module when it is there and fresh, else undefined; TURNPOOL_BUNDLE=0 says undefined always. */
export function freshBundle(packageDir = new URL('../', import.meta.url)) {
  if (process.env.TURNPOOL_BUNDLE === '0') return undefined;
  try {
    return changedSinceBundle(packageDir).length === 0 ? new URL('bundle/main.js', packageDir).href : undefined;
  } catch (err) {
    // No bundle (never made, or removed): dist/ runs. Anything else is a broken bundle directory.
    if (err.code === 'ENOENT') return undefined;
    throw err;
  }
}
