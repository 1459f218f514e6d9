import { join, resolve } from 'node:path';
import { explicitConfigPath, resolveConfigPath, type ConfigLookupOptions, type ConfigSource } from './resolve-config-path.ts';

/**
 * Where `config set` writes: `--config` or `TURNPOOL_CONFIG` (created when missing), else the
 * file lookup found (`./turnpool.json5` or `~/.turnpool/config.json5`), else a new
 * `./turnpool.json5`.
 */
export async function resolveConfigWritePath(
  opts: ConfigLookupOptions = {},
): Promise<{ path: string; from: ConfigSource; exists: boolean }> {
  const cwd = opts.cwd ?? process.cwd();
  const explicit = explicitConfigPath(opts);
  if (explicit) {
    const path = resolve(cwd, explicit.path);
    try {
      const found = await resolveConfigPath(opts);
      return { path, from: explicit.from, exists: found.path !== null };
    } catch {
      return { path, from: explicit.from, exists: false };
    }
  }
  const found = await resolveConfigPath(opts);
  if (found.path !== null) return { path: found.path, from: found.from, exists: true };
  return { path: join(cwd, 'turnpool.json5'), from: 'cwd', exists: false };
}
