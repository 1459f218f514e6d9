import { ConfigError, parseConfigText } from '@turnpool/config';
import { errorCodes } from '@turnpool/protocol';
import { userFacingTextProblems } from '@turnpool/testing';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { commands } from './commands.ts';
import { noCredentialsHelp } from './commands/credentials.ts';
import { main, usage } from './main.ts';

function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: {},
    cwd: process.cwd(),
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

/** The texts a person reads, by where they come from. */
async function userFacingTexts(): Promise<[string, string][]> {
  const texts: [string, string][] = [
    ['turnpool --help', usage()],
    ['noCredentialsHelp', noCredentialsHelp],
  ];
  for (const name of Object.keys(commands)) {
    const io = captureIo();
    expect(await main([name, '--help'], io)).toBe(0);
    texts.push([`turnpool ${name} --help`, io.stdout]);
  }
  for (const args of [['models'], ['config'], ['chat', 'hi', '--quick'], []]) {
    const io = captureIo();
    await main(args, io);
    texts.push([`turnpool ${args.join(' ')}`, io.stderr]);
  }
  for (const [code, info] of Object.entries(errorCodes)) texts.push([`errorCodes.${code}`, info.message]);
  try {
    parseConfigText("{ models: { providers: { 'amazon-bedrock': { apiKey: 'abc' } } } }");
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    texts.push(['config apiKey refusal', err.message]);
  }
  return texts;
}

describe('user-facing text (docs/development.md "User-facing text")', () => {
  it('has no doubled period and spells the provider one way: CLI usage and help, the error catalogue, config errors', async () => {
    const texts = await userFacingTexts();
    expect(texts.map(([from]) => from)).toContain('config apiKey refusal');
    const problems = texts.flatMap(([from, text]) => userFacingTextProblems(text).map((p) => `${from}: ${p}`));
    expect(problems).toEqual([]);
  });
});
