import type { ChaosPool } from '../pool/start-pool.ts';
import { readSse } from '@turnpool/turn-store';
import { sleep } from '../stats.ts';

/** What the workload produced that a secrets scan must also read (HTTP answers, SSE text). */
export interface WorkloadResult {
  turnIds: string[];
  /** Every HTTP answer body (turn info, SSE text, models list). */
  answers: string[];
  open: string[];
}

/**
 * A small workload that walks every Redis path turnpool has: plain turns, a turn that fails its
 * first attempt (BullMQ retry with backoff), a terminal failure, a cancel, SSE replay with
 * Last-Event-ID, turn info and the models list (catalog keys).
 */
export async function runSecurityWorkload(pool: ChaosPool, headers: Record<string, string> = {}): Promise<WorkloadResult> {
  const answers: string[] = [];
  const get = async (path: string, extra: Record<string, string> = {}) => {
    const res = await fetch(`${pool.dispatcherUrl}${path}`, { headers: { ...headers, ...extra }, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    answers.push(text);
    return text;
  };
  const plain = await Promise.all(Array.from({ length: 4 }, (_, i) => pool.submit(`security plain ${i} [[tokens 30]]`, headers)));
  const retry = await pool.submit('security retry [[tokens 20]] [[fail-calls 2 ThrottlingException]]', headers);
  const failing = await pool.submit('security failing [[error ValidationException]]', headers);
  const cancelled = await pool.submit('security cancel [[tokens 400]] [[tokens-per-second 40]]', headers);
  await sleep(700);
  const c = await fetch(`${pool.dispatcherUrl}/v1/turns/${cancelled}/cancel`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{}',
  });
  answers.push(await c.text());
  const turnIds = [...plain, retry, failing, cancelled];
  const open = await pool.waitForTerminal(turnIds, 60_000);
  for (const id of turnIds) await get(`/v1/turns/${id}`);
  const res = await fetch(`${pool.dispatcherUrl}/v1/turns/${plain[0]}/events`, { headers: { ...headers, 'last-event-id': '2' } });
  if (res.body) for await (const f of readSse(res.body)) answers.push(f.data);
  await get('/v1/models');
  await get('/metrics');
  return { turnIds, answers, open };
}
