import { setTimeout as sleep } from 'node:timers/promises';
import { defaultCatalog, loadCatalogFile, type Catalog } from './catalog.ts';
import { defaultEmulatorOptions, type EmulatorOptions, type ResolvedEmulatorOptions } from './emulator-options.ts';
import type { EmulatorState } from './emulator-state.ts';
import { createStats, snapshotStats, type EmulatorStats } from './emulator-stats.ts';
import { createRequestHandler } from './handle-request.ts';
import { listenDualProtocol } from './listen-dual-protocol.ts';
import { QuotaBuckets } from './quota-buckets.ts';
import { seededRandom } from './seeded-random.ts';
import { selfSignedCertificate } from './self-signed-certificate.ts';
import { validateEmulatorOptions } from './validate-emulator-options.ts';
import { checkQuotaKeys } from './validate-quotas.ts';

/** A running emulator. */
export interface EmulatorHandle {
  /** `http://<host>:<port>` (`https://` with `tls`): the `endpoint` for both SDK clients. */
  url: string;
  port: number;
  /** With `tls`: the self-signed certificate (PEM) clients must trust, e.g. as `ca`. */
  tls?: { cert: string };
  /** A copy of the counters. */
  stats(): EmulatorStats;
  /** Zeroes the counters, forgets fail-first attempts, refills every quota bucket and restores the options given at start. */
  reset(): void;
  /** Changes options at run time (not port/host/logger); throws EmulatorOptionsError naming the key. */
  configure(patch: Partial<EmulatorOptions>): void;
  /** Stops listening and cuts open streams. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts a loopback Bedrock (runtime + control plane) that the unmodified AWS SDK clients talk to. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const startOptions: ResolvedEmulatorOptions = { ...defaultEmulatorOptions(), ...validateEmulatorOptions(opts, 'start') };
  const loadCatalog = (file: string | undefined): Catalog => (file === undefined ? defaultCatalog() : loadCatalogFile(file));
  const startCatalog = loadCatalog(startOptions.catalogFile);
  checkQuotaKeys(startOptions.quotas, startCatalog);
  const state: EmulatorState = {
    options: { ...startOptions },
    catalog: startCatalog,
    stats: createStats(),
    random: seededRandom(startOptions.seed),
    attempts: new Map(),
    quotaBuckets: new QuotaBuckets(),
    streams: new Set(),
  };
  const control = {
    stats: () => snapshotStats(state.stats),
    reset: () => {
      const open = state.stats.streamsOpen;
      state.stats = { ...createStats(), streamsOpen: open };
      state.attempts.clear();
      state.quotaBuckets.clear();
      if (state.options.catalogFile !== startOptions.catalogFile) state.catalog = loadCatalog(startOptions.catalogFile);
      state.options = { ...startOptions };
      state.random = seededRandom(startOptions.seed);
    },
    configure: (patch: Partial<EmulatorOptions>) => {
      const valid = validateEmulatorOptions(patch, 'patch');
      const catalog = valid.catalogFile !== undefined ? loadCatalogFile(valid.catalogFile) : state.catalog;
      checkQuotaKeys(valid.quotas ?? state.options.quotas, catalog);
      state.catalog = catalog;
      state.options = { ...state.options, ...valid } as ResolvedEmulatorOptions;
      if (valid.seed !== undefined) state.random = seededRandom(valid.seed);
    },
  };
  const tls = startOptions.tls ? await selfSignedCertificate([startOptions.host]) : undefined;
  const listener = await listenDualProtocol(createRequestHandler(state, control), startOptions.port, startOptions.host, {
    ...(tls ? { tls } : {}),
    onConnection: () => {
      state.stats.connections++;
    },
  });
  const hostForUrl = startOptions.host.includes(':') ? `[${startOptions.host}]` : startOptions.host;
  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${hostForUrl}:${listener.port}`,
    port: listener.port,
    ...(tls ? { tls: { cert: tls.cert } } : {}),
    ...control,
    close: () =>
      (closing ??= (async () => {
        for (const stop of [...state.streams]) stop();
        // Let the RST_STREAM frames reach the clients before the sockets go (a bare TCP close reads as a clean end on h2).
        for (let i = 0; i < 40 && state.stats.streamsOpen > 0; i++) await sleep(5);
        await sleep(10);
        await listener.close();
      })()),
  };
}
