import net from 'node:net';

/** A raw HTTP/1.1 answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/**
 * Sends one HTTP/1.1 request byte for byte (no client-side header validation, so header abuse
 * reaches the server) over a fresh connection, and reads the answer until the server closes it.
 * Header values may carry any byte except CR and LF. Bounded by `timeoutMs` (status 0 = no answer).
 */
export function rawRequest(
  port: number,
  req: { method: string; path: string; headers: Record<string, string | string[]>; body?: Buffer },
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const sock = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks).toString('utf8');
      const cut = raw.indexOf('\r\n\r\n');
      const head = cut === -1 ? raw : raw.slice(0, cut);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = cut === -1 ? '' : raw.slice(cut + 4);
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
      resolve({ status, headers, body, ms: performance.now() - t0 });
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('data', (d: Buffer) => {
      size += d.length;
      if (size < 4 * 1024 * 1024) chunks.push(d);
    });
    sock.on('end', finish);
    sock.on('error', finish);
    sock.on('connect', () => {
      const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
      if (req.body) lines.push(`Content-Length: ${req.body.length}`);
      for (const [k, v] of Object.entries(req.headers)) {
        for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one.replace(/[\r\n]/g, '')}`);
      }
      sock.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), req.body ?? Buffer.alloc(0)]));
    });
  });
}

function dechunk(s: string): string {
  let out = '';
  let rest = s;
  for (let i = 0; i < 10_000; i++) {
    const nl = rest.indexOf('\r\n');
    if (nl === -1) break;
    const n = parseInt(rest.slice(0, nl), 16);
    if (!Number.isFinite(n) || n === 0) break;
    out += rest.slice(nl + 2, nl + 2 + n);
    rest = rest.slice(nl + 2 + n + 2);
  }
  return out;
}
