import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CliIo } from '../cli-io.ts';

/** Test support: a CliIo that captures output. */
export function captureIo(env: NodeJS.ProcessEnv, cwd: string): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env,
    cwd,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

/** Test support: a Bedrock control plane that denies everything (403 AccessDeniedException), like an account without the IAM permission. */
export async function startDenyingBedrock(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(403, {
      'content-type': 'application/json',
      'x-amzn-requestid': 'deny',
      'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/',
    });
    res.end(JSON.stringify({ message: 'User is not authorized to perform: bedrock:ListFoundationModels' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
