import type { Scenario } from '../scenario.ts';
import { addedLatency } from './added-latency.ts';
import { catalogReads } from './catalog-reads.ts';
import { consoleCost } from './console-cost.ts';
import { connectionReuse } from './connection-reuse.ts';
import { cliStartup } from './cli-startup.ts';
import { clusterSpread } from './cluster-spread.ts';
import { concurrencySweep } from './concurrency-sweep.ts';
import { cpuPerEvent } from './cpu-per-event.ts';
import { fleetQuota } from './fleet-quota.ts';
import { piscinaVsInline } from './piscina-vs-inline.ts';
import { redisCost } from './redis-cost.ts';
import { shortTurns } from './short-turns.ts';

/** Every scenario, in run order, by id (`--only id,id`). */
export const scenarios: Record<string, Scenario> = {
  latency: addedLatency,
  sweep: concurrencySweep,
  cpu: cpuPerEvent,
  piscina: piscinaVsInline,
  redis: redisCost,
  catalog: catalogReads,
  short: shortTurns,
  'fleet-quota': fleetQuota,
  'conn-reuse': connectionReuse,
  startup: cliStartup,
  cluster: clusterSpread,
  'console-cost': consoleCost,
};
