import type { Catalog } from '@turnpool/protocol';
import type { QuotaStatus } from '@turnpool/quota';
import {
  liveModelFigures,
  type ConsoleSummary,
  type LiveModelFigures,
  type QueueCounts,
  type TurnClient,
  type TurnListQuery,
} from '@turnpool/turn-store/client';

export interface ConsoleReadDeps {
  client: TurnClient;
  marks?: Catalog['marks'];
  quotas?: () => Promise<QuotaStatus[]>;
}

/**
 * The read side behind `/v1/turns` (list), `/v1/hosts`, `/v1/queue`, `/v1/models/live` and the
 * console feed: each a thin combination of turn-client reads, the admission state and the
 * catalog's marks.
 */
export function consoleReads(deps: ConsoleReadDeps) {
  const { client } = deps;
  const queue = async (): Promise<QueueCounts> => {
    const c = await client.queueCounts();
    return {
      waiting: c['waiting'] ?? 0,
      active: c['active'] ?? 0,
      delayed: c['delayed'] ?? 0,
      prioritized: c['prioritized'] ?? 0,
      failed: c['failed'] ?? 0,
      completed: c['completed'] ?? 0,
    };
  };
  const liveModels = async (windowMinutes: number): Promise<LiveModelFigures[]> => {
    const [minutes, quotas, marks] = await Promise.all([
      client.modelMinutes(windowMinutes),
      deps.quotas ? deps.quotas() : Promise.resolve([]),
      deps.marks ? deps.marks() : Promise.resolve([]),
    ]);
    return liveModelFigures({ windowMinutes, minutes, quotas, unavailable: marks.map((m) => m.modelId) });
  };
  const turns = (query: TurnListQuery) => client.listTurns(query);
  const hosts = () => client.listHosts();
  const summary = async (windowMinutes: number): Promise<ConsoleSummary> => {
    const at = Date.now();
    const [q, h, models, page] = await Promise.all([queue(), hosts(), liveModels(windowMinutes), turns({ limit: 50 })]);
    return { at, queue: q, hosts: h, windowMinutes, models, turns: page.turns };
  };
  return { queue, liveModels, turns, hosts, summary };
}

export type ConsoleReads = ReturnType<typeof consoleReads>;
