import { processIo, type CliIo } from './cli-io.ts';
import { commands } from './commands.ts';
import { UsageError } from './usage-error.ts';

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length), 4);
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['Usage: turnpool <command> [options]', '', 'Commands:', ...rows, '', 'Run `turnpool <command> --help` for its options.', ''].join(
    '\n',
  );
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === undefined) {
    io.err(`turnpool: missing command\n\n${usage()}`);
    return 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`turnpool: unknown command "${name.slice(0, 40)}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`turnpool ${name}: ${err.message}\n\n${command.help ?? `Run \`turnpool ${name} --help\` for its options.\n`}`);
      return 2;
    }
    const e = err as { code?: unknown; message?: unknown };
    io.err(`turnpool ${name}: ${typeof e.message === 'string' ? e.message : String(err)}\n`);
    return 1;
  }
}
