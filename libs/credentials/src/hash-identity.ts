import { createHash } from 'node:crypto';

/**
 * A short, stable id for "who is calling": 16 hex chars of sha256(`source:identity`).
 * Callers pass only non-secret identity (key id, profile name, role name, or a hash of a
 * bearer token), so neither the hash nor its input reveals a secret.
 */
export function hashIdentity(source: string, identity: string): string {
  return createHash('sha256').update(`${source}:${identity}`).digest('hex').slice(0, 16);
}

/** sha256 hex of a secret, used as its identity; the secret itself is never stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
