import type { TurnClient } from '@turnpool/turn-store/client';
import type { QuotaTurnRecord } from './fleet-quota-figures.ts';

/**
 * Submits a turn and follows it to its terminal event, noting when it waited for admission,
 * which model served it and what it cost in tokens. `signal` gives up on the turn (recorded as
 * failed, code `no_terminal`).
 */
export async function followQuotaTurn(client: TurnClient, request: object, signal: AbortSignal): Promise<QuotaTurnRecord> {
  const r: QuotaTurnRecord = { submittedAt: Date.now(), outcome: 'failed', tokens: 0 };
  try {
    const { turnId } = await client.submitTurn(request);
    for await (const e of client.subscribeTurn(turnId, { signal })) {
      const now = Date.now();
      if (e.type === 'turn-waiting') r.waitingAt ??= now;
      else if (e.type === 'turn-fallback') r.fallbackReason = e.reason;
      else if (e.type === 'turn-start') {
        r.startedAt = now;
        r.modelId = e.modelId;
      } else if (e.type === 'turn-end') {
        r.endedAt = now;
        r.outcome = 'served';
        r.tokens = e.usage.inputTokens + e.usage.outputTokens;
      } else if (e.type === 'turn-error') {
        r.endedAt = now;
        r.errorCode = e.code;
      } else if (e.type === 'turn-cancelled') {
        r.endedAt = now;
        r.errorCode = 'cancelled';
      }
    }
  } catch (err) {
    r.errorCode = signal.aborted ? 'no_terminal' : `submit: ${(err as Error).message.slice(0, 80)}`;
  }
  if (r.outcome === 'failed') r.errorCode ??= 'no_terminal';
  return r;
}
