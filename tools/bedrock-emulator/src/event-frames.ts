import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });
const padAlphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The `p` member real Bedrock adds to event payloads: a prefix of [a-zA-Z0-9] of length 1..62. */
export function paddingOf(length: number): string {
  return padAlphabet.slice(0, Math.max(1, Math.min(62, Math.floor(length))));
}

/** One `:message-type: event` frame; payload JSON is the union member's structure (no wrapper). */
export function eventFrame(eventType: string, payload: object): Uint8Array {
  return codec.encode({
    headers: { ':event-type': str(eventType), ':message-type': str('event'), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** A modeled in-stream exception; `member` is the lowerCamel union member, e.g. 'throttlingException'. */
export function exceptionFrame(member: string, payload: object): Uint8Array {
  return codec.encode({
    headers: { ':exception-type': str(member), ':message-type': str('exception'), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** An unmodeled `:message-type: error` frame (the SDK throws a plain Error named `code`). */
export function errorFrame(code: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ':error-code': str(code), ':error-message': str(message), ':message-type': str('error') },
    body: new Uint8Array(0),
  });
}

/** Decodes one whole frame (tests and HTTP/1.1 clients). */
export function decodeFrame(bytes: Uint8Array): { headers: Record<string, string>; payload: unknown } {
  const msg = codec.decode(bytes);
  const headers: Record<string, string> = {};
  for (const [k, h] of Object.entries(msg.headers)) headers[k] = String(h.value);
  const text = toUtf8(msg.body);
  return { headers, payload: text.length > 0 ? JSON.parse(text) : undefined };
}
