import { maxOutputTokensOf } from './catalog.ts';
import type { EmulatorState } from './emulator-state.ts';
import { throttlingMessages } from './error-catalogue.ts';
import { InvocationError } from './invocation-error.ts';
import type { QuotaReservation } from './quota-buckets.ts';
import { quotaStatsOf } from './quota-stats.ts';
import { reservedTokens, settledTokens } from './quota-tokens.ts';
import type { ResolvedModel } from './resolve-model.ts';
import type { ConverseRequestJson, PlannedUsage } from './response-plan.ts';

/** An admitted call's hold on its quota; the first of settle/release wins, later calls do nothing. */
export interface CallTicket {
  /** The key the call counts under. */
  readonly key: string;
  /** The call ran (completely or not): count input + cache write + `outputTokens` × burndown, give back the rest. */
  settle(outputTokens: number): void;
  /** The call failed before its first byte: give back every reserved token (the request stays counted). */
  release(): void;
}

/** The quota key of a call: the inference profile it went through, else its foundation model. */
export function quotaKeyOf(resolved: ResolvedModel): string {
  return resolved.profile?.inferenceProfileId ?? resolved.model.modelId;
}

/**
 * Admission of one runtime call against the quota of its key in its region (bearer calls carry no region
 * and count under us-east-1): reserves input + cache tokens + maxTokens (the model's max output when unset),
 * or throws ThrottlingException (429) naming what ran out. Counts stats per key either way.
 */
export function admitCall(
  state: EmulatorState,
  call: { region: string | undefined; resolved: ResolvedModel; request: ConverseRequestJson; usage: PlannedUsage },
): CallTicket {
  const key = quotaKeyOf(call.resolved);
  const stats = quotaStatsOf(state.stats.quotas, key);
  const maxTokens = requestedMaxTokens(call.request) ?? maxOutputTokensOf(call.resolved.model);
  const tokens = reservedTokens(call.usage, maxTokens);
  const quotas = state.options.quotas;
  const quota = Object.hasOwn(quotas, key) ? quotas[key] : undefined;
  let reservation: QuotaReservation | undefined;
  if (quota !== undefined) {
    const admission = state.quotaBuckets.admit(state.options.now(), call.region ?? 'us-east-1', key, quota, tokens);
    if (!admission.ok) {
      stats.throttled[admission.reason]++;
      throw new InvocationError('ThrottlingException', throttlingMessages[admission.reason]);
    }
    reservation = admission.reservation;
  }
  stats.admitted++;
  stats.tokensReserved += tokens;
  let done = false;
  const end = (used: number): void => {
    if (done) return;
    done = true;
    stats.tokensSettled += used;
    if (reservation !== undefined) state.quotaBuckets.settle(state.options.now(), reservation, used);
  };
  return {
    key,
    settle: (outputTokens) => end(settledTokens(call.usage, outputTokens, quota?.burndown ?? 1)),
    release: () => end(0),
  };
}

function requestedMaxTokens(request: ConverseRequestJson): number | undefined {
  const cfg = request.inferenceConfig;
  if (typeof cfg !== 'object' || cfg === null) return undefined;
  const max = (cfg as Record<string, unknown>)['maxTokens'];
  return typeof max === 'number' ? max : undefined;
}
