import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { formatKeyPath } from './format-key-path.ts';
import { parseKeyPath } from './parse-key-path.ts';

describe('parseKeyPath', () => {
  it('reads dotted keys, including dashes', () => {
    expect(parseKeyPath('models.providers.amazon-bedrock.baseUrl')).toEqual(['models', 'providers', 'amazon-bedrock', 'baseUrl']);
  });

  it('reads bracketed quoted keys and indexes', () => {
    expect(parseKeyPath('models.providers["amazon-bedrock"].models[0].id')).toEqual([
      'models',
      'providers',
      'amazon-bedrock',
      'models',
      0,
      'id',
    ]);
    expect(parseKeyPath("a['b.c'][12]")).toEqual(['a', 'b.c', 12]);
    expect(parseKeyPath('a["q\\"x"]')).toEqual(['a', 'q"x']);
  });

  it('both spellings of the same key agree', () => {
    expect(parseKeyPath('models.providers.amazon-bedrock.baseUrl')).toEqual(parseKeyPath('models.providers["amazon-bedrock"].baseUrl'));
  });

  const hostile: [string, string][] = [
    ['__proto__.polluted', '"__proto__" is not allowed'],
    ['a.constructor.prototype', '"constructor" is not allowed'],
    ['a["__proto__"]', '"__proto__" is not allowed'],
    ['a.prototype', '"prototype" is not allowed'],
    ['', 'empty'],
    ['a..b', 'empty segment'],
    ['.a', 'empty segment'],
    ['a.', 'ends with "."'],
    ['a[]', 'neither a quoted key nor an array index'],
    ['a[-1]', 'neither a quoted key nor an array index'],
    ['a[01]', 'neither a quoted key nor an array index'],
    ['a["x]', 'unterminated'],
    ['a[0', 'unterminated'],
    ['a[""]', 'empty segment'],
    ['a]b', 'unexpected "]"'],
    ['a[0]b', 'expected "." or "["'],
    ['a\nb', 'control character'],
    ['x'.repeat(10_000), 'longer than 512'],
    [Array.from({ length: 40 }, () => 'a').join('.'), 'more than 32 segments'],
  ];
  it.each(hostile)('refuses %j with a clear error', (path, message) => {
    let err: unknown;
    try {
      parseKeyPath(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('config_invalid');
    expect((err as ConfigError).message).toContain(message);
    expect((err as ConfigError).message.length).toBeLessThan(400);
  });
});

describe('formatKeyPath', () => {
  it('dots plain keys, brackets the rest', () => {
    expect(formatKeyPath(['models', 'providers', 'amazon-bedrock', 'models', 0, 'id'])).toBe(
      'models.providers.amazon-bedrock.models[0].id',
    );
    expect(formatKeyPath(['a', 'anthropic.claude:0', 'b c'])).toBe('a["anthropic.claude:0"]["b c"]');
  });

  it('round-trips through parseKeyPath', () => {
    const segments = ['a', 'x.y', 3, 'q"z'];
    expect(parseKeyPath(formatKeyPath(segments))).toEqual(segments);
  });
});
