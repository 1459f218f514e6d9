import { describe, expect, it } from 'vitest';
import { composeMessage, endSentence, withoutSentenceEnd } from './compose-message.ts';
import { errorCodes } from './error-codes.ts';

describe('composeMessage', () => {
  it('adds a period to a detail without one and none to a detail that has one', () => {
    expect(composeMessage('Bedrock failed while serving m (X)', 'Bedrock is unable to process your request.')).toBe(
      'Bedrock failed while serving m (X): Bedrock is unable to process your request.',
    );
    expect(composeMessage('Bedrock failed while serving m (X)', 'socket hang up')).toBe(
      'Bedrock failed while serving m (X): socket hang up.',
    );
  });

  it('ends every sentence with exactly one period, whatever the parts end with', () => {
    expect(composeMessage('Model "m" is unavailable', 'Access denied. Grant access under "Model access".', 'Try another model.')).toBe(
      'Model "m" is unavailable: Access denied. Grant access under "Model access". Try another model.',
    );
    expect(composeMessage('Head.', undefined, 'Next', 'Last..')).toBe('Head. Next. Last.');
    expect(composeMessage('Head', '  ', '')).toBe('Head.');
  });

  it('keeps ?, ! and an ellipsis', () => {
    expect(endSentence('Is it on?')).toBe('Is it on?');
    expect(endSentence('Stop!')).toBe('Stop!');
    expect(endSentence('cut off...')).toBe('cut off...');
  });

  it('withoutSentenceEnd drops the final period for use inside a sentence', () => {
    expect(withoutSentenceEnd('Model not found. ')).toBe('Model not found');
    expect(withoutSentenceEnd('cut off...')).toBe('cut off...');
  });
});

describe('the error catalogue', () => {
  // apps/cli's user-facing-text test scans the messages for doubled periods and spellings too.
  it('ends every default message with exactly one sentence end', () => {
    for (const [code, info] of Object.entries(errorCodes)) expect(endSentence(info.message), code).toBe(info.message);
  });
});
