import type { EmulatorRequest } from './http-types.ts';
import { regionFromAuthorization } from './region-scope.ts';

const sigv4Re =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, ?SignedHeaders=[^,\s]+, ?Signature=[0-9a-f]{64}$/;
const bearerRe = /^Bearer [\x21-\x7e]{1,8192}$/;

export type AuthResult = { ok: true; scheme: 'sigv4' | 'bearer' | 'none'; region?: string } | { ok: false; message: string };

/**
 * Presence check (signatures are not verified): SigV4 with signing name `bedrock`, or `Bearer <token>`.
 * The token is never logged or echoed.
 */
export function checkAuth(req: EmulatorRequest, required: boolean): AuthResult {
  const header = req.headers['authorization'];
  const value = typeof header === 'string' ? header : undefined;
  if (value !== undefined && sigv4Re.test(value)) return { ok: true, scheme: 'sigv4', region: regionFromAuthorization(value) };
  if (value !== undefined && bearerRe.test(value)) return { ok: true, scheme: 'bearer' };
  if (!required) return { ok: true, scheme: 'none', region: regionFromAuthorization(value) };
  return {
    ok: false,
    message:
      value === undefined
        ? 'Missing authentication: sign the request with SigV4 (signing name "bedrock") or send "authorization: Bearer <token>".'
        : 'Malformed authorization header: expected SigV4 (signing name "bedrock") or "Bearer <token>".',
  };
}
