import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to control-plane calls: forward them, or answer like a failing / denying Bedrock. */
export type ProxyMode = 'pass' | 'deny-all' | 'deny-profiles' | 'unavailable';

export interface FaultProxy {
  url: string;
  mode: ProxyMode;
  close(): Promise<void>;
}

/**
 * Test support: an HTTP/1.1 proxy in front of the emulator's control plane (the Bedrock
 * control client speaks HTTP/1.1) that can answer 403 AccessDeniedException or 503 the way
 * Bedrock does, so tests drive the real SDK through those paths.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: '', mode: 'pass', close: async () => {} };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const deny = proxy.mode === 'deny-all' || (proxy.mode === 'deny-profiles' && path.startsWith('/inference-profiles'));
    if (deny || proxy.mode === 'unavailable') {
      req.resume();
      const [status, type, message] = deny
        ? [403, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/t is not authorized to perform this action']
        : [503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'];
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': 'proxy',
        'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      });
      res.end(JSON.stringify({ message }));
      return;
    }
    const upstream = http.request(new URL(path, target), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}
