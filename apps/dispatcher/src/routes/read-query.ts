import type { FastifyRequest } from 'fastify';
import { TurnError } from '@turnpool/protocol';

/** One query parameter as a string (undefined when absent); sent twice or empty → 400 naming it. */
export function queryString(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new TurnError('invalid_request', `Send ${name} once, not empty.`, { field: name });
  return v;
}

/** One integer query parameter in [min, max], `fallback` when absent; anything else → 400 naming it. */
export function queryInt(req: FastifyRequest, name: string, min: number, max: number, fallback: number): number {
  const v = queryString(req, name);
  if (v === undefined) return fallback;
  const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw new TurnError('invalid_request', `${name} must be an integer ${min}-${max}.`, { field: name });
  return n;
}
