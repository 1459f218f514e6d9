import { describe, expect, it } from 'vitest';
import { isSecretKeyPath, renderValue } from './render-value.ts';

describe('isSecretKeyPath', () => {
  it.each([
    'apiKeys',
    'apiKey',
    'api_key',
    'password',
    'redisPassword',
    'secret',
    'clientSecret',
    'token',
    'authToken',
    'sessionToken',
    'credentials',
  ])('%s is secret', (key) => {
    expect(isSecretKeyPath(['x', key])).toBe(true);
  });
  it.each(['maxTokens', 'defaultMaxTokens', 'contextWindow', 'region', 'port', 'keyPrefix', 'id'])('%s is not', (key) => {
    expect(isSecretKeyPath(['x', key])).toBe(false);
  });
});

describe('renderValue', () => {
  it('masks secrets, URL passwords, and shortens long values', () => {
    expect(renderValue('sk-1', true)).toBe('"***"');
    expect(renderValue('redis://u:p@h:1', false)).toBe('"redis://***@h:1"');
    expect(renderValue('z'.repeat(200), false)).toHaveLength(80);
    expect(renderValue(NaN, false)).toBe('NaN');
    expect(renderValue({ a: [1, 'x'] }, false)).toBe('{"a":[1,"x"]}');
  });

  it('does bounded work on hostile nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(renderValue(deep, false)).toBe('[[[[[[[[…]]]]]]]]');
  });
});
