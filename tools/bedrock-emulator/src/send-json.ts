import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from './http-types.ts';
import { preStreamErrors, type PreStreamErrorName } from './error-catalogue.ts';

/** A success JSON response with `x-amzn-requestid`. */
export function sendJson(res: EmulatorResponse, status: number, body: unknown, requestId: string = randomUUID()): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/**
 * A Bedrock error before any stream byte, in restJson1's error form: status, `x-amzn-errortype:
 * <Name>:http://internal.amazon.com/coral/com.amazon.bedrock/` and `{ "message": … }`.
 */
export function sendError(
  res: EmulatorResponse,
  name: PreStreamErrorName,
  message?: string,
  opts: { status?: number; requestId?: string; extra?: Record<string, unknown> } = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify({ ...opts.extra, message: message ?? preStreamErrors[name].message });
  res.writeHead(opts.status ?? preStreamErrors[name].status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': opts.requestId ?? randomUUID(),
    'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  res.end(text);
}
