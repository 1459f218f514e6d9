import { NodeHttp2Handler } from '@smithy/node-http-handler';

type HandleArgs = Parameters<NodeHttp2Handler['handle']>;

/**
 * The SDK's HTTP/2 handler, with event-stream calls (ConverseStream) sharing pooled sessions.
 *
 * `NodeHttp2Handler` (4.14.2) gives every call marked `isEventStream` an isolated session — a new
 * TCP connection and TLS handshake per turn — whatever `disableConcurrentStreams` says; only plain
 * calls use its pool. ConverseStream streams its output only (the request body is plain JSON), so
 * it can ride the pool like any call: this handler clears the mark and lets the pool lease a
 * session holding at most `maxConcurrentStreams` open streams (a full pool opens another session).
 * Cancelling one call closes only its stream (RST_STREAM); a session that dies or sends GOAWAY
 * leaves the pool and the next call opens a new one (the handler's own pool logic).
 */
export class SharedSessionHttp2Handler extends NodeHttp2Handler {
  override handle(request: HandleArgs[0], options: HandleArgs[1] = {}): ReturnType<NodeHttp2Handler['handle']> {
    return super.handle(request, { ...options, isEventStream: false });
  }
}
