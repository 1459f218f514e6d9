import {
  EmulatorOptionsError,
  QuotaSpecError,
  faultKinds,
  parseQuotaSpec,
  startEmulator,
  type EmulatorOptions,
  type FaultKind,
  type ModelQuota,
} from '@turnpool/bedrock-emulator';
import { writeFile } from 'node:fs/promises';
import { sharedSettings } from '@turnpool/config';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { describeListenFailure } from '../describe-listen-failure.ts';
import { parseFlags } from '../parse-flags.ts';
import { waitForSignal } from '../stack/wait-for-signal.ts';
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
  --tls                    serve HTTPS (HTTP/2 by ALPN) with a self-signed certificate made at start
                           (needs the openssl CLI); clients must trust it, see --tls-cert
  --tls-cert FILE          with --tls: write the certificate (PEM) there, for NODE_EXTRA_CA_CERTS=FILE
                           or curl --cacert FILE
  --quota ID=rpm:N,tpm:M[,tpd:T][,burndown:K]
                           account quota of a model id or inference profile id (separate budgets,
                           as on Bedrock); over it -> 429 ThrottlingException. Any subset of
                           rpm/tpm/tpd; repeatable, once per id                  default: none
  -h, --help               this text
`;

const flagOf: Record<string, string> = {
  port: '--port',
  host: '--host',
  ttftMs: '--ttft-ms',
  tokensPerSecond: '--tokens-per-second',
  tokensPerChunk: '--tokens-per-chunk',
  faultRate: '--fault-rate',
  faultKinds: '--fault-kinds',
  catalogFile: '--catalog',
  seed: '--seed',
  quotas: '--quota',
  tls: '--tls',
};

/** Until this promise resolves the emulator runs; the command passes "SIGINT or SIGTERM arrived". */
export type StopSignal = Promise<unknown>;

/**
 * `turnpool emulator`: parses flags, starts the emulator, prints one line with the URL, runs until
 * `stop`. A bad flag or flag value throws a `UsageError` naming the flag (main: exit 2 + usage).
 */
export async function runEmulator(args: string[], io: CliIo, stop: () => StopSignal): Promise<number> {
  const flags = readEmulatorFlags(args);
  if (flags === 'help') {
    io.out(help);
    return 0;
  }
  const { certFile, ...opts } = flags;
  let emu;
  try {
    emu = await startEmulator(opts);
  } catch (err) {
    if (err instanceof EmulatorOptionsError) {
      const option = err.field.replace(/\[.*$/, '');
      const flag = flagOf[option];
      // A nested field (quotas["id"].rpm) keeps its path: it names the entry of a repeatable flag.
      const detail = option === err.field ? err.message.slice(err.field.length + 2) : err.message;
      throw new UsageError(`${flag ?? err.field}: ${detail}`, { cause: err });
    }
    const line = describeListenFailure(err, 'the emulator', 'choose another --port (0 = any free port) or --host');
    if (line === undefined) throw err;
    io.err(`turnpool emulator: ${line}\n`);
    return 1;
  }
  if (certFile !== undefined && emu.tls !== undefined) {
    try {
      await writeFile(certFile, emu.tls.cert);
    } catch (err) {
      await emu.close();
      io.err(`turnpool emulator: --tls-cert: cannot write ${certFile}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  // Listen before the ready line: a SIGTERM sent the moment it appears must stop gracefully.
  const stopped = stop();
  io.out(`Bedrock emulator listening on ${emu.url} (admin: ${emu.url}/_emulator/stats)\n`);
  await stopped;
  await emu.close();
  return 0;
}

function readEmulatorFlags(args: string[]): (EmulatorOptions & { certFile?: string }) | 'help' {
  const { values } = parseFlags(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'ttft-ms': { type: 'string' },
    'tokens-per-second': { type: 'string' },
    'tokens-per-chunk': { type: 'string' },
    'fault-rate': { type: 'string' },
    'fault-kinds': { type: 'string' },
    catalog: { type: 'string' },
    seed: { type: 'string' },
    'no-padding': { type: 'boolean' },
    'no-auth': { type: 'boolean' },
    quota: { type: 'string', multiple: true },
    tls: { type: 'boolean' },
    'tls-cert': { type: 'string' },
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
  const kinds = values['fault-kinds']
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const k of kinds ?? []) {
    if (!(faultKinds as readonly string[]).includes(k))
      throw new UsageError(`--fault-kinds: unknown fault kind ${JSON.stringify(k.slice(0, 40))}; allowed: ${faultKinds.join(', ')}`);
  }
  if (values['tls-cert'] !== undefined && !values.tls) throw new UsageError('--tls-cert: only with --tls');
  if (values['tls-cert']?.trim() === '') throw new UsageError('--tls-cert: expected a file path');
  const opts: EmulatorOptions & { certFile?: string } = {
    port: num('--port', values.port, true) ?? sharedSettings.emulatorPort.default,
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
    quotas: parseQuotas(values.quota),
    tls: values.tls ? true : undefined,
    certFile: values['tls-cert'],
  };
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as EmulatorOptions;
}

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run a local Bedrock emulator for offline development and tests',
  help,
  run: (args: string[], io: CliIo) => runEmulator(args, io, waitForSignal),
};

/** Repeated `--quota ID=rpm:N,...` flags as the `quotas` option (values are range-checked by the emulator). */
function parseQuotas(specs: string[] | undefined): Record<string, ModelQuota> | undefined {
  if (specs === undefined) return undefined;
  const quotas: Record<string, ModelQuota> = {};
  for (const spec of specs) {
    let id: string;
    let quota: ModelQuota;
    try {
      [id, quota] = parseQuotaSpec(spec);
    } catch (err) {
      if (err instanceof QuotaSpecError) throw new UsageError(`--quota: ${err.message}`);
      throw err;
    }
    if (Object.hasOwn(quotas, id)) throw new UsageError(`--quota: ${JSON.stringify(id.slice(0, 200))} given twice`);
    quotas[id] = quota;
  }
  return quotas;
}
