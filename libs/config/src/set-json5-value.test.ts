import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { parseKeyPath } from './parse-key-path.ts';
import { setJson5Value } from './set-json5-value.ts';

const set = (text: string, path: string, value: unknown) => setJson5Value(text, parseKeyPath(path), value);

const commented = `// turnpool config — comments must survive
{
  /* discovery, as in the OpenClaw docs */
  models: {
    bedrockDiscovery: {
      enabled: false, // flip me
      region: 'us-east-1',
      providerFilter: ['anthropic'],
    },
  },

  // the HTTP API
  dispatcher: { port: 8787 },
}
`;

describe('setJson5Value: replacing a value keeps every other byte', () => {
  it('replaces a boolean and keeps the trailing comment', () => {
    expect(set(commented, 'models.bedrockDiscovery.enabled', true)).toBe(commented.replace('enabled: false,', 'enabled: true,'));
  });

  it("replaces a string in the file's quote style", () => {
    expect(set(commented, 'models.bedrockDiscovery.region', 'eu-west-1')).toBe(commented.replace("'us-east-1'", "'eu-west-1'"));
  });

  it('replaces a list inline', () => {
    expect(set(commented, 'models.bedrockDiscovery.providerFilter', ['anthropic', 'amazon'])).toBe(
      commented.replace("['anthropic']", "['anthropic', 'amazon']"),
    );
  });

  it('replaces a value inside a one-line object', () => {
    expect(set(commented, 'dispatcher.port', 9000)).toBe(commented.replace('port: 8787', 'port: 9000'));
  });

  it('replaces an object with a scalar and a scalar on the path with an object', () => {
    expect(set('{ a: { b: 1 } }', 'a', 2)).toBe('{ a: 2 }');
    expect(set('{\n  a: 1,\n}\n', 'a.b', 2)).toBe('{\n  a: {\n    b: 2,\n  },\n}\n');
  });

  it('sets the last of duplicate keys (the one JSON5 keeps)', () => {
    expect(set('{ a: 1, a: 2 }', 'a', 3)).toBe('{ a: 1, a: 3 }');
  });
});

describe("setJson5Value: inserting keeps every other byte and matches the file's style", () => {
  it('adds a key after the last sibling, with its indentation and trailing comma', () => {
    expect(set(commented, 'models.bedrockDiscovery.refreshInterval', 600)).toBe(
      commented.replace("providerFilter: ['anthropic'],\n", "providerFilter: ['anthropic'],\n      refreshInterval: 600,\n"),
    );
  });

  it('creates missing parent objects (the OpenClaw provider key, quoted)', () => {
    expect(set(commented, 'models.providers["amazon-bedrock"].baseUrl', 'http://127.0.0.1:8788')).toBe(
      commented.replace(
        '    },\n  },\n\n',
        "    },\n    providers: {\n      'amazon-bedrock': {\n        baseUrl: 'http://127.0.0.1:8788',\n      },\n    },\n  },\n\n",
      ),
    );
  });

  it('adds a comma after a last member that has none, keeping its line comment in place', () => {
    const text = '{\n  a: 1, // one\n  b: 2 // two\n}\n';
    expect(set(text, 'c', 3)).toBe('{\n  a: 1, // one\n  b: 2, // two\n  c: 3\n}\n');
  });

  it('adds to a one-line object on the same line', () => {
    expect(set(commented, 'dispatcher.host', '0.0.0.0')).toBe(commented.replace('{ port: 8787 }', "{ port: 8787, host: '0.0.0.0' }"));
  });

  it('fills an empty object', () => {
    expect(set('{}', 'redis.url', 'redis://x:1')).toBe('{\n  redis: {\n    url: "redis://x:1"\n  }\n}');
    expect(set('{\n  // nothing yet\n}\n', 'a', 1)).toBe('{\n  // nothing yet\n  a: 1\n}\n');
  });

  it('quotes keys and skips trailing commas in a plain-JSON file', () => {
    const json = '{\n    "queue": {\n        "name": "turns"\n    }\n}\n';
    expect(set(json, 'queue.attempts', 5)).toBe('{\n    "queue": {\n        "name": "turns",\n        "attempts": 5\n    }\n}\n');
  });

  it('keeps tab indentation', () => {
    expect(set('{\n\ta: {\n\t\tb: 1,\n\t},\n}\n', 'a.c', true)).toBe('{\n\ta: {\n\t\tb: 1,\n\t\tc: true,\n\t},\n}\n');
  });

  it('keeps CRLF line endings', () => {
    expect(set('{\r\n  a: 1,\r\n}\r\n', 'b', 2)).toBe('{\r\n  a: 1,\r\n  b: 2,\r\n}\r\n');
  });

  it('writes a new file for blank or comment-only text', () => {
    expect(set('', 'models.bedrockDiscovery.enabled', true)).toBe(
      '{\n  models: {\n    bedrockDiscovery: {\n      enabled: true\n    }\n  }\n}\n',
    );
    expect(set('// mine\n', 'a', 1)).toBe('// mine\n{\n  a: 1\n}\n');
  });

  it('replaces and appends list items by index', () => {
    const text = '{\n  m: [\n    { id: "a" },\n  ],\n}\n';
    expect(set(text, 'm[0].id', 'b')).toBe(text.replace('"a"', '"b"'));
    expect(set(text, 'm[1]', { id: 'c' })).toBe('{\n  m: [\n    { id: "a" },\n    {\n      id: "c",\n    },\n  ],\n}\n');
    expect(set(text, 'm[0].name', 'A')).toBe(text.replace('{ id: "a" }', '{ id: "a", name: "A" }'));
  });

  it('refuses an index past the end of a list', () => {
    expect(() => set('{ m: [] }', 'm[3]', 1)).toThrow(ConfigError);
    expect(() => set('{ m: [] }', 'm[3]', 1)).toThrow(/index 3 is past the end/);
  });

  it('refuses to edit text that is not JSON5', () => {
    expect(() => set('{ a: ', 'a', 1)).toThrow(expect.objectContaining({ code: 'config_parse' }));
  });

  it('refuses values that are not JSON5 data', () => {
    for (const v of [undefined, () => 1, 10n, new Date(0), Symbol('x'), { a: undefined }]) {
      expect(() => set('{}', 'a', v)).toThrow(expect.objectContaining({ code: 'config_invalid', keyPath: 'a' }));
    }
  });

  it('writes keys named like prototype members as plain data', () => {
    const out = set('{}', 'a', { __proto__x: 1, constructor: 2 });
    expect(JSON5.parse<Record<string, unknown>>(out)).toEqual({ a: { __proto__x: 1, constructor: 2 } });
  });
});
