import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** The request/response pair of either protocol (the http2 compat API has the same shape). */
export type EmulatorRequest = IncomingMessage | Http2ServerRequest;
export type EmulatorResponse = ServerResponse | Http2ServerResponse;
