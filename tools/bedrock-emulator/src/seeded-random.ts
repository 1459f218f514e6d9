import { createHash } from 'node:crypto';

/** A small deterministic PRNG (mulberry32); returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from any strings (sha256). */
export function seedOf(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `n` base62 characters derived from the strings (tool-use ids look like `tooluse_` + 22 of these). */
export function base62Of(n: number, ...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += base62[(bytes[i % bytes.length] ?? 0) % 62];
  return out;
}

/** Base64 of `bytes` bytes derived from the strings (reasoning signatures, redacted content). */
export function base64Of(bytes: number, ...parts: string[]): string {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < bytes; i++)
    chunks.push(
      createHash('sha256')
        .update(`${i}\u0000${parts.join('\u0000')}`)
        .digest(),
    );
  return Buffer.concat(chunks).subarray(0, bytes).toString('base64');
}
