import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Builds a constant-time checker for `Authorization: Bearer <key>` against the configured keys:
 * every key is compared (hash against hash, equal lengths), so timing says nothing about
 * which key, or how much of one, matched.
 */
export function apiKeyChecker(keys: readonly string[]): (header: string | undefined) => boolean {
  const digests = keys.map((k) => createHash('sha256').update(k).digest());
  return (header) => {
    if (typeof header !== 'string') return false;
    const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    const given = createHash('sha256')
      .update(m?.[1] ?? '')
      .digest();
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, given) || ok;
    return ok && m !== null;
  };
}
