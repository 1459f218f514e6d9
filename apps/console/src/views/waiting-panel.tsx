import type { QuotaStatus } from '@turnpool/quota';
import type { ConsoleSummary } from '@turnpool/turn-store/client';
import { formatNumber } from '../format.ts';

/** Why a quota key's line is not moving, from its admission state (docs/quotas.md). */
export function waitReason(q: QuotaStatus): string {
  const reasons: string[] = [];
  if (q.throttlesLastMinute > 0) reasons.push(`throttled ${q.throttlesLastMinute}× in the last minute`);
  if (q.learnedConcurrency !== null && q.inFlight >= q.learnedConcurrency)
    reasons.push(`at its learned concurrency (${q.inFlight}/${q.learnedConcurrency})`);
  if (q.available.requests !== null && q.available.requests < 1) reasons.push('requests-per-minute budget spent');
  if (q.available.tokens !== null && q.available.tokens <= 0) reasons.push('tokens-per-minute budget spent');
  if (q.configured.tokensPerDay !== undefined && q.tokensToday >= q.configured.tokensPerDay) reasons.push('daily token quota spent');
  return reasons.length ? reasons.join('; ') : 'admitting (waiting for a budget refill or a slot)';
}

/** Waiting turns and why: the queue's counts, the queued turns, and each quota key with a line. */
export function WaitingPanel({
  summary,
  quotas,
  quotasError,
}: {
  summary: ConsoleSummary | null;
  quotas: QuotaStatus[] | null;
  quotasError: string | null;
}) {
  const q = summary?.queue;
  const queued = summary?.turns.filter((t) => t.state === 'queued') ?? [];
  const lines = (quotas ?? []).filter((k) => k.waiting > 0 || k.throttlesLastMinute > 0);
  return (
    <section aria-labelledby="waiting-title" class="panel" data-testid="waiting-panel">
      <h2 id="waiting-title">Waiting</h2>
      {q ? (
        <dl class="counts">
          <div>
            <dt>queued (waiting for a worker)</dt>
            <dd data-testid="queue-waiting">{q.waiting + q.prioritized}</dd>
          </div>
          <div>
            <dt>delayed (retry backoff)</dt>
            <dd>{q.delayed}</dd>
          </div>
          <div>
            <dt>active</dt>
            <dd>{q.active}</dd>
          </div>
          <div>
            <dt>failed / completed jobs</dt>
            <dd>
              {formatNumber(q.failed)} / {formatNumber(q.completed)}
            </dd>
          </div>
        </dl>
      ) : (
        <p class="empty">waiting for the feed…</p>
      )}
      {queued.length > 0 && (
        <p>
          Queued among the newest turns: {queued.length} (
          {queued
            .slice(0, 5)
            .map((t) => t.turnId)
            .join(', ')}
          {queued.length > 5 ? ', …' : ''}) — no worker slot free yet, or held in a quota line below.
        </p>
      )}
      <h3>Quota lines</h3>
      {quotasError && <p class="error">quotas: {quotasError}</p>}
      {lines.length === 0 ? (
        <p class="empty">{quotas === null ? 'loading…' : 'no turn waits for a Bedrock quota'}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Quota key</th>
              <th scope="col">Waiting</th>
              <th scope="col">In flight</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((k) => (
              <tr key={k.quotaKey}>
                <td>{k.quotaKey}</td>
                <td>{k.waiting}</td>
                <td>{k.inFlight}</td>
                <td>{waitReason(k)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
