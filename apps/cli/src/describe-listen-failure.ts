const reasons: Record<string, string> = {
  EADDRINUSE: 'the port is in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
};

/**
 * The one line for a server that could not bind — `<what> cannot listen on <host>:<port>: <why>
 * (<code>); <fix>` — or undefined when `err` is not such a failure.
 */
export function describeListenFailure(err: unknown, what: string, fix: string): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, syscall, address, port } = err as { code?: unknown; syscall?: unknown; address?: unknown; port?: unknown };
  if (syscall !== 'listen' || typeof code !== 'string' || !Object.hasOwn(reasons, code)) return undefined;
  const host = typeof address === 'string' && address.includes(':') ? `[${address}]` : String(address);
  return `${what} cannot listen on ${host}:${String(port)}: ${reasons[code]} (${code}); ${fix}`;
}
