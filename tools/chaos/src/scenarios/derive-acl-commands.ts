import { startPool } from '../pool/start-pool.ts';
import { runSecurityWorkload } from './security-workload.ts';

/** Commands only the harness itself runs (setup), never turnpool; `info` is left out here and added by hand (clients send it before RESETSTAT). */
const harnessOnly = new Set(['acl|setuser', 'acl|log', 'acl|deluser', 'config|set', 'config|get', 'config|resetstat', 'info']);

/** Parses `INFO commandstats` into command names (`client|setname` style). */
export function parseCommandStats(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (Number(m[2]) > 0 && m[1]) out.push(m[1]);
  return out.sort();
}

/**
 * Runs the security workload (plus a kill -9 of a busy host, so the stalled-job path runs) on a
 * fresh redis-server and lists every command turnpool sent: the basis of the least-privilege ACL.
 */
export async function deriveAclCommands(opts: { withCrash?: boolean } = {}): Promise<string[]> {
  const pool = await startPool({ workers: 2 });
  try {
    await pool.redis.config('RESETSTAT');
    if (opts.withCrash ?? true) {
      const ids = await Promise.all(
        Array.from({ length: 4 }, (_, i) => pool.submit(`derive crash ${i} [[tokens 120]] [[tokens-per-second 30]]`)),
      );
      await new Promise((r) => setTimeout(r, 1500));
      await pool.stopHost(0, 'SIGKILL');
      await pool.waitForTerminal(ids, 60_000);
      await pool.startHost(0);
    }
    await runSecurityWorkload(pool);
    const stats = parseCommandStats(await pool.redis.info('commandstats'));
    return stats.filter((c) => !harnessOnly.has(c));
  } finally {
    await pool.close();
  }
}
