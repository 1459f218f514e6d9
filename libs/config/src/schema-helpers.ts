import { z } from 'zod';

/** An integer in [min, max]; `what` says the unit, and the error's "allowed" says it all. */
export function intSchema(min: number, max: number, what: string) {
  return z.int().min(min).max(max).describe(`${what}, an integer from ${min} to ${max}`);
}

/** A TCP port; 0 asks the OS for a free one (handy in tests). */
export function portSchema() {
  return intSchema(0, 65535, 'a TCP port (0 = any free port)');
}

/** An http(s) URL. */
export function httpUrlSchema() {
  return z
    .string()
    .max(2048)
    .refine(isUrlWithProtocol(['http:', 'https:']), { message: 'not an http(s) URL' })
    .describe('an http:// or https:// URL');
}

/** A redis:// or rediss:// URL. */
export function redisUrlSchema() {
  return z
    .string()
    .max(2048)
    .refine(isUrlWithProtocol(['redis:', 'rediss:']), { message: 'not a redis URL' })
    .describe('a redis://[user:password@]host[:port][/db] or rediss:// URL');
}

function isUrlWithProtocol(protocols: string[]): (value: string) => boolean {
  return (value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  };
}
