import { processIo, type CliIo } from './cli-io.ts';
import { commands } from './commands.ts';

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length), 4);
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['Usage: turnpool <command> [options]', '', 'Commands:', ...rows, '', 'Run `turnpool <command> --help` for its options.', ''].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 1 : 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`turnpool: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    io.err(`turnpool ${name}: ${typeof e.message === 'string' ? e.message : String(err)}\n`);
    return 1;
  }
}
