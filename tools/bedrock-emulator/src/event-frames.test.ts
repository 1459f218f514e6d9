import { describe, expect, it } from 'vitest';
import { decodeFrame, errorFrame, eventFrame, exceptionFrame, paddingOf } from './event-frames.ts';

const vector =
  '0000007500000052d175800e0b3a6576656e742d7479706507000c6d65737361676553746172740d3a6d6573736167652d74797065' +
  '0700056576656e740d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b22726f6c65223a225f5f72' +
  '6f6c655f5f227df3cb4ae0';

describe('event frames', () => {
  it('encodes a known event-stream frame byte for byte', () => {
    const frame = eventFrame('messageStart', { role: '__role__' });
    expect(Buffer.from(frame).toString('hex')).toBe(vector);
    expect(frame.length).toBe(117);
    expect(Buffer.from(frame).readUInt32BE(8)).toBe(0xd175800e);
    expect(Buffer.from(frame).readUInt32BE(113)).toBe(0xf3cb4ae0);
  });

  it('round-trips an exception frame with its lowerCamel type', () => {
    const d = decodeFrame(exceptionFrame('throttlingException', { message: 'slow down' }));
    expect(d.headers).toEqual({
      ':exception-type': 'throttlingException',
      ':message-type': 'exception',
      ':content-type': 'application/json',
    });
    expect(d.payload).toEqual({ message: 'slow down' });
  });

  it('writes unmodeled errors as :message-type error with an empty payload', () => {
    const d = decodeFrame(errorFrame('InternalFailure', 'boom'));
    expect(d.headers).toEqual({ ':error-code': 'InternalFailure', ':error-message': 'boom', ':message-type': 'error' });
    expect(d.payload).toBeUndefined();
  });

  it('pads with a prefix of the base62 alphabet, 1..62 long', () => {
    expect(paddingOf(4)).toBe('abcd');
    expect(paddingOf(0)).toBe('a');
    expect(paddingOf(500)).toHaveLength(62);
    expect(paddingOf(62).endsWith('789')).toBe(true);
  });
});
