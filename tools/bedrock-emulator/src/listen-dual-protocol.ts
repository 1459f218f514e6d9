import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { EmulatorRequest, EmulatorResponse } from './http-types.ts';
import type { SelfSignedCertificate } from './self-signed-certificate.ts';

export interface ListenOptions {
  /** Serve TLS with this certificate (ALPN h2, else HTTP/1.1) instead of cleartext. */
  tls?: SelfSignedCertificate;
  /** Called once per accepted TCP connection (the emulator counts them: one per client session). */
  onConnection?: () => void;
}

export interface DualListener {
  port: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/**
 * One TCP port for HTTP/2 cleartext with prior knowledge (the bedrock-runtime client) and HTTP/1.1
 * (the control-plane client, curl, fetch), told apart by the HTTP/2 connection preface (`PRI * HTTP/2.0`).
 * With `tls`, the same two protocols over TLS, told apart by ALPN (as real Bedrock does).
 */
export function listenDualProtocol(
  handler: (req: EmulatorRequest, res: EmulatorResponse) => void,
  port: number,
  host: string,
  opts: ListenOptions = {},
): Promise<DualListener> {
  if (opts.tls !== undefined) return listenTls(handler, port, host, opts.tls, opts.onConnection);
  const h1 = http.createServer(handler);
  const h2 = http2.createServer({}, handler);
  // A hostile or vanished client must never take the emulator down: every emitter gets an error handler.
  h2.on('sessionError', () => undefined);
  h2.on('error', () => undefined);
  h1.on('error', () => undefined);
  h1.on('clientError', (_err, socket) => socket.destroy());
  const sockets = new Set<net.Socket>();
  let pendingSocket: net.Socket | undefined;
  h2.on('session', (session) => {
    if (pendingSocket !== undefined) sessionSockets.set(session, pendingSocket);
  });
  // noDelay: sockets handed to h1/h2 by hand never get http's TCP_NODELAY; with Nagle on, an event written
  // right after another waits for the client's delayed ACK (~40 ms), a latency real Bedrock does not add.
  const srv = net.createServer({ noDelay: true }, (sock) => {
    opts.onConnection?.();
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    sock.once('data', (first: Buffer) => {
      sock.pause();
      if (first.subarray(0, 3).toString('latin1') !== 'PRI') {
        sock.unshift(first);
        h1.emit('connection', sock);
        sock.resume();
        return;
      }
      pendingSocket = sock;
      h2.emit('connection', wrapSocket(sock, first)); // creates the session synchronously ('session' below)
      pendingSocket = undefined;
    });
  });
  return listen(srv, port, host, () => {
    for (const s of sockets) s.destroy();
    h1.close();
    h2.close();
  });
}

/** HTTPS: HTTP/2 by ALPN `h2` (the runtime client), HTTP/1.1 otherwise (`allowHTTP1`: control plane, curl, fetch). */
function listenTls(
  handler: (req: EmulatorRequest, res: EmulatorResponse) => void,
  port: number,
  host: string,
  tls: SelfSignedCertificate,
  onConnection: (() => void) | undefined,
): Promise<DualListener> {
  const srv = http2.createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true, noDelay: true }, handler);
  srv.on('sessionError', () => undefined);
  srv.on('tlsClientError', () => undefined);
  const sockets = new Set<net.Socket>();
  srv.on('connection', (sock: net.Socket) => {
    onConnection?.();
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
  });
  let pendingSocket: TLSSocket | undefined;
  // Runs before http2's own listener, which creates the session synchronously ('session' below).
  srv.prependListener('secureConnection', (sock: TLSSocket) => {
    pendingSocket = sock;
  });
  srv.on('secureConnection', () => {
    pendingSocket = undefined;
  });
  srv.on('session', (session) => {
    if (pendingSocket !== undefined) sessionSockets.set(session, pendingSocket);
  });
  return listen(srv, port, host, () => {
    for (const s of sockets) s.destroy();
  });
}

function listen(srv: net.Server, port: number, host: string, cutAll: () => void): Promise<DualListener> {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => {
      srv.off('error', reject);
      srv.on('error', () => undefined);
      const addr = srv.address() as net.AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        port: addr.port,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            srv.close(() => done());
            cutAll();
          })),
      });
    });
  });
}

/** The TCP socket under each HTTP/2 session (the session itself only exposes a guarded proxy). */
const sessionSockets = new WeakMap<http2.Http2Session, net.Socket>();

export function rawSocketOfSession(session: http2.Http2Session): net.Socket | undefined {
  return sessionSockets.get(session);
}

/** Node's http2 reads from the native handle, so unshift() loses the preface: replay it through a Duplex. */
function wrapSocket(sock: net.Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read() {
      sock.resume();
    },
    write(chunk: Buffer, encoding, cb) {
      sock.write(chunk, encoding, cb);
    },
    final(cb) {
      sock.end();
      cb();
    },
    destroy(err, cb) {
      sock.destroy(err ?? undefined);
      cb(err);
    },
  });
  d.on('error', () => undefined);
  d.push(first);
  sock.on('data', (c: Buffer) => {
    if (!d.push(c)) sock.pause();
  });
  sock.on('end', () => d.push(null));
  sock.on('error', (e) => d.destroy(e));
  sock.on('close', () => d.destroy());
  return d;
}
