import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The dispatcher's Prometheus metrics (GET /metrics). */
export function createDispatcherMetrics(queueCounts: () => Promise<Record<string, number>>) {
  const registry = new Registry();
  const turnsSubmitted = new Counter({ name: 'turnpool_turns_submitted_total', help: 'Turns posted, by outcome (accepted, duplicate, refused code).', labelNames: ['outcome'], registers: [registry] });
  const turnsFinished = new Counter({ name: 'turnpool_turns_finished_total', help: 'Terminal events delivered over SSE, by type and code.', labelNames: ['type', 'code'], registers: [registry] });
  const events = new Counter({ name: 'turnpool_sse_events_total', help: 'Turn events delivered to SSE clients, by type.', labelNames: ['type'], registers: [registry] });
  const sseClients = new Gauge({ name: 'turnpool_sse_clients', help: 'Open SSE connections.', registers: [registry] });
  const ttft = new Histogram({
    name: 'turnpool_time_to_first_token_seconds', help: 'Bedrock time to first token, from turn-end events seen over SSE.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [registry],
  });
  new Gauge({
    name: 'turnpool_queue_jobs', help: 'Turns in the queue by BullMQ state.', labelNames: ['state'], registers: [registry],
    async collect() {
      try {
        const counts = await queueCounts();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch {
        // Redis down: leave the last values; /readyz says why.
      }
    },
  });
  return { registry, turnsSubmitted, turnsFinished, events, sseClients, ttft };
}

export type DispatcherMetrics = ReturnType<typeof createDispatcherMetrics>;
