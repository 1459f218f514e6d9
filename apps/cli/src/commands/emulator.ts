import { EmulatorOptionsError, faultKinds, startEmulator, type EmulatorOptions, type FaultKind } from '@turnpool/bedrock-emulator';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';

const help = `Usage: turnpool emulator [options]

Runs a loopback Amazon Bedrock (runtime + control plane) that the AWS SDK talks to unchanged.
Point a client at it with endpoint = the printed URL. Stops on SIGINT/SIGTERM. See docs/emulator.md.

Options:
  --port N                 TCP port (0 = any free port)                default 8788
  --host HOST              interface to bind                           default 127.0.0.1
  --ttft-ms N              ms before the first content delta           default 50
  --tokens-per-second N    output pacing, 0 = unlimited                default 500
  --tokens-per-chunk N     tokens per contentBlockDelta                default 3
  --fault-rate X           probability 0..1 of a random fault per call default 0
  --fault-kinds A,B        which faults --fault-rate picks             default: see docs/emulator.md
  --catalog FILE           JSON {modelSummaries, inferenceProfileSummaries} replacing the built-in catalog
  --seed N                 seed for random faults and padding          default random
  --no-padding             do not add the "p" padding member to events
  --no-auth                accept requests without SigV4/Bearer auth
  -h, --help               this text
`;

const flagOf: Record<string, string> = {
  port: '--port', host: '--host', ttftMs: '--ttft-ms', tokensPerSecond: '--tokens-per-second', tokensPerChunk: '--tokens-per-chunk',
  faultRate: '--fault-rate', faultKinds: '--fault-kinds', catalogFile: '--catalog', seed: '--seed',
};

/** Until this promise resolves the emulator runs; the command passes "SIGINT or SIGTERM arrived". */
export type StopSignal = Promise<unknown>;

/**
 * `turnpool emulator`: parses flags, starts the emulator, prints one line with the URL, runs until
 * `stop`. A bad flag or flag value throws a `UsageError` naming the flag (main: exit 2 + usage).
 */
export async function runEmulator(args: string[], io: CliIo, stop: () => StopSignal): Promise<number> {
  const opts = readEmulatorFlags(args);
  if (opts === 'help') {
    io.out(help);
    return 0;
  }
  let emu;
  try {
    emu = await startEmulator(opts);
  } catch (err) {
    if (err instanceof EmulatorOptionsError) {
      const flag = flagOf[err.field.replace(/\[.*$/, '')];
      throw new UsageError(`${flag ?? err.field}: ${err.message.slice(err.field.length + 2)}`, { cause: err });
    }
    const e = err as { code?: string; message?: string };
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
      io.err(`turnpool emulator: cannot listen on ${opts.host ?? '127.0.0.1'}:${opts.port ?? 8788} (${e.code}); choose another --port or --host\n`);
      return 1;
    }
    throw err;
  }
  io.out(`Bedrock emulator listening on ${emu.url} (admin: ${emu.url}/_emulator/stats)\n`);
  await stop();
  await emu.close();
  return 0;
}

function readEmulatorFlags(args: string[]): EmulatorOptions | 'help' {
  const { values } = parseFlags(args, {
    port: { type: 'string' }, host: { type: 'string' }, 'ttft-ms': { type: 'string' }, 'tokens-per-second': { type: 'string' },
    'tokens-per-chunk': { type: 'string' }, 'fault-rate': { type: 'string' }, 'fault-kinds': { type: 'string' },
    catalog: { type: 'string' }, seed: { type: 'string' }, 'no-padding': { type: 'boolean' }, 'no-auth': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const num = (flag: string, raw: string | undefined, integer: boolean): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new UsageError(`${flag}: expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(raw.slice(0, 40))}`);
    }
    return n;
  };
  const kinds = values['fault-kinds']?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const k of kinds ?? []) {
    if (!(faultKinds as readonly string[]).includes(k)) throw new UsageError(`--fault-kinds: unknown fault kind ${JSON.stringify(k.slice(0, 40))}; allowed: ${faultKinds.join(', ')}`);
  }
  const opts: EmulatorOptions = {
    port: num('--port', values.port, true) ?? 8788,
    host: values.host,
    ttftMs: num('--ttft-ms', values['ttft-ms'], true),
    tokensPerSecond: num('--tokens-per-second', values['tokens-per-second'], false),
    tokensPerChunk: num('--tokens-per-chunk', values['tokens-per-chunk'], true),
    faultRate: num('--fault-rate', values['fault-rate'], false),
    faultKinds: kinds as FaultKind[] | undefined,
    catalogFile: values.catalog,
    seed: num('--seed', values.seed, true),
    padding: values['no-padding'] ? false : undefined,
    requireAuth: values['no-auth'] ? false : undefined,
  };
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as EmulatorOptions;
}

function untilSignal(): StopSignal {
  return new Promise((resolve) => {
    const done = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(sig);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run a local Bedrock emulator for offline development and tests',
  help,
  run: (args: string[], io: CliIo) => runEmulator(args, io, untilSignal),
};
