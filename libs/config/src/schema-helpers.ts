import { z } from 'zod';
import { parseRedisTarget, RedisUrlError } from './parse-redis-target.ts';

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

/**
 * A redis:// or rediss:// URL (one node), or a redis+cluster:// / rediss+cluster:// URL (a Redis
 * Cluster by its seed nodes, parse-redis-target.ts); the error says what is wrong with it.
 */
export function redisUrlSchema() {
  return z
    .string()
    .max(2048)
    .superRefine((value, ctx) => {
      let target;
      try {
        target = parseRedisTarget(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof RedisUrlError ? err.message : 'not a redis URL' });
        return;
      }
      if (target.kind === 'single' && !isUrlWithProtocol(['redis:', 'rediss:'])(value))
        ctx.addIssue({ code: 'custom', message: 'not a redis URL' });
    })
    .describe(
      'a redis://[user:password@]host[:port][/db] or rediss:// URL, or redis+cluster://[user:password@]host:port[,host:port…] (rediss+cluster:// for TLS)',
    );
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
