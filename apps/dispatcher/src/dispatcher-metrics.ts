import type { QuotaStatus } from '@turnpool/quota';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A model marked unavailable at run time (libs/discovery `catalog.marks()`). */
export interface ModelMark {
  modelId: string;
  until: number;
}

/**
 * The dispatcher's Prometheus metrics (GET /metrics). `markedModels` reads the run-time marks
 * from Redis at scrape time, so marks made by any worker host show up here; `quotaStatus` reads the
 * fleet's admission state (libs/quota) the same way, one gauge set per quota key.
 */
export function createDispatcherMetrics(
  queueCounts: () => Promise<Record<string, number>>,
  markedModels?: () => Promise<ModelMark[]>,
  quotaStatus?: () => Promise<QuotaStatus[]>,
) {
  const registry = new Registry();
  const turnsSubmitted = new Counter({
    name: 'turnpool_turns_submitted_total',
    help: 'Turns posted, by outcome (accepted, duplicate, refused code).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const turnsFinished = new Counter({
    name: 'turnpool_turns_finished_total',
    help: 'Terminal events delivered over SSE, by type and code.',
    labelNames: ['type', 'code'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'turnpool_sse_events_total',
    help: 'Turn events delivered to SSE clients, by type.',
    labelNames: ['type'],
    registers: [registry],
  });
  const sseClients = new Gauge({ name: 'turnpool_sse_clients', help: 'Open SSE connections.', registers: [registry] });
  const ttft = new Histogram({
    name: 'turnpool_time_to_first_token_seconds',
    help: 'Bedrock time to first token, from turn-end events seen over SSE.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'turnpool_queue_jobs',
    help: 'Turns in the queue by BullMQ state.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      try {
        const counts = await queueCounts();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch {
        // Redis down: leave the last values; /readyz says why.
      }
    },
  });
  if (markedModels) {
    const seen = new Map<string, number>();
    const update = oncePerScrape(markedModels, (marks) => {
      unavailable.reset();
      for (const m of marks) {
        unavailable.set({ model: m.modelId }, 1);
        if (seen.get(m.modelId) !== m.until) marksSeen.inc({ model: m.modelId });
      }
      seen.clear();
      for (const m of marks) seen.set(m.modelId, m.until);
    });
    const unavailable = new Gauge({
      name: 'turnpool_models_unavailable',
      labelNames: ['model'],
      registers: [registry],
      help: 'Models marked unavailable right now (1 per marked model; sum() = how many), read from Redis at scrape time.',
      collect: update,
    });
    const marksSeen = new Counter({
      name: 'turnpool_model_unavailable_marks_total',
      labelNames: ['model'],
      registers: [registry],
      help: 'Run-time marks (AccessDenied) seen by this dispatcher at scrape time, by model; a re-mark (new expiry) counts again.',
      collect: update,
    });
  }
  if (quotaStatus) registerQuotaGauges(registry, quotaStatus);
  return { registry, turnsSubmitted, turnsFinished, events, sseClients, ttft };
}

export type DispatcherMetrics = ReturnType<typeof createDispatcherMetrics>;

/** What each quota gauge shows of a key's status; undefined = no sample (nothing configured or learned). */
const quotaGauges: { name: string; help: string; value: (q: QuotaStatus) => number | undefined }[] = [
  {
    name: 'turnpool_quota_in_flight',
    help: 'Bedrock calls admitted and not yet settled, fleet-wide, by quota key.',
    value: (q) => q.inFlight,
  },
  {
    name: 'turnpool_quota_reserved_tokens',
    help: 'Tokens the in-flight calls reserved (input + maxTokens), by quota key.',
    value: (q) => q.reservedTokens,
  },
  { name: 'turnpool_quota_waiting_turns', help: "Turns waiting in a quota key's line.", value: (q) => q.waiting },
  {
    name: 'turnpool_quota_throttles_last_minute',
    help: 'Throttles hosts reported in the last 60 s, by quota key.',
    value: (q) => q.throttlesLastMinute,
  },
  {
    name: 'turnpool_quota_learned_concurrency',
    help: 'Concurrency the fleet learned from throttles (AIMD); absent = no throttle seen, unbounded.',
    value: (q) => q.learnedConcurrency ?? undefined,
  },
  {
    name: 'turnpool_quota_configured_rpm',
    help: 'Requests per minute configured (bedrock.quotas), by quota key; absent = none configured.',
    value: (q) => q.configured.rpm,
  },
  {
    name: 'turnpool_quota_configured_tpm',
    help: 'Tokens per minute configured (bedrock.quotas), by quota key; absent = none configured.',
    value: (q) => q.configured.tpm,
  },
];

/**
 * A `collect()` for several metrics fed by one Redis read: prom-client collects them in parallel,
 * and they share the read in flight. Redis down: the last values stay (/readyz says why).
 */
function oncePerScrape<T>(read: () => Promise<T>, apply: (value: T) => void): () => Promise<void> {
  let reading: Promise<void> | undefined;
  return () => {
    reading ??= read()
      .then(apply, () => undefined)
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
}

/** The quota gauges, all from one status read per scrape. */
function registerQuotaGauges(registry: Registry, quotaStatus: () => Promise<QuotaStatus[]>): void {
  const update = oncePerScrape(quotaStatus, (statuses) => {
    gauges.forEach(({ gauge, value }) => {
      gauge.reset();
      for (const q of statuses) {
        const v = value(q);
        if (v !== undefined) gauge.set({ quota_key: q.quotaKey }, v);
      }
    });
  });
  const gauges = quotaGauges.map(({ name, help, value }) => ({
    gauge: new Gauge({ name, help, labelNames: ['quota_key'], registers: [registry], collect: update }),
    value,
  }));
}
