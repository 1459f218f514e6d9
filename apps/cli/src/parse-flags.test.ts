import { describe, expect, it } from 'vitest';
import { parseFlags } from './parse-flags.ts';
import { UsageError } from './usage-error.ts';

const specs = { json: { type: 'boolean' }, provider: { type: 'string', multiple: true }, config: { type: 'string' } } as const;

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseFlags', () => {
  it('reads known flags, repeatable ones and positionals', () => {
    const { values, positionals } = parseFlags(
      ['list', '--json', '--provider', 'Anthropic', '--provider=amazon', '--config', 'x.json5'],
      specs,
      true,
    );
    expect(values).toEqual({ json: true, provider: ['Anthropic', 'amazon'], config: 'x.json5' });
    expect(positionals).toEqual(['list']);
  });

  it('refuses an unknown flag, naming it, instead of ignoring it', () => {
    expect(usageMessage(() => parseFlags(['--quick'], specs))).toContain("Unknown option '--quick'");
    expect(usageMessage(() => parseFlags(['list', '--bogus'], specs, true))).toBe("Unknown option '--bogus'");
    // A value that starts with '-' keeps Node's hint: put it after '--'.
    expect(usageMessage(() => parseFlags(['set', 'dispatcher.port', '-1'], specs, true))).toContain("after '--'");
  });

  it('refuses a flag without its value, a value for a boolean and stray positionals', () => {
    expect(usageMessage(() => parseFlags(['--config'], specs))).toContain("'--config <value>' argument missing");
    expect(usageMessage(() => parseFlags(['--json=yes'], specs))).toContain("'--json' does not take an argument");
    expect(usageMessage(() => parseFlags(['extra'], specs))).toContain("Unexpected argument 'extra'");
  });

  it('keeps the message on one line (it is printed as "turnpool <command>: <message>")', () => {
    const message = usageMessage(() => parseFlags(['--config', '--json'], specs));
    expect(message).toContain("'--config'");
    expect(message).not.toContain('\n');
  });
});
