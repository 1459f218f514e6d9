import { tokenizeText } from './generate-words.ts';
import type { Directives } from './directives.ts';
import type { PlannedBlock } from './response-plan.ts';

/** What Bedrock answers instead when a guardrail blocks (the console's default blocked messaging). */
export const guardrailBlockedMessage = 'Sorry, the model cannot answer this question.';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The guardrail part of a plan: the blocks to send, whether it intervened, and the trace for `metadata.trace.guardrail`. */
export interface GuardrailPlan {
  blocks: PlannedBlock[];
  intervened: boolean;
  /** Present when the request's `guardrailConfig.trace` is `enabled` or `enabled_full` (as on Bedrock). */
  trace?: Record<string, unknown>;
}

/**
 * Applies the request's `guardrailConfig` (already validated) to the planned blocks. Without a
 * config nothing happens (the `[[guardrail-intervene]]` directive needs one, as a real guardrail
 * does). With `[[guardrail-intervene]]` the answer becomes the blocked-output message, its stop
 * reason `guardrail_intervened`; `[[guardrail-intervene input]]` blocks the input instead. The
 * trace follows GuardrailTraceAssessment: `modelOutput` (the blocked output), `inputAssessment`
 * and `outputAssessments` keyed by guardrail id, `actionReason`.
 */
export function planGuardrail(
  config: unknown,
  directive: Directives['guardrail'],
  blocks: PlannedBlock[],
  inputChars: number,
): GuardrailPlan {
  if (!isObj(config)) return { blocks, intervened: false };
  const identifier = String(config['guardrailIdentifier'] ?? '');
  const id = identifier.includes('guardrail/') ? identifier.slice(identifier.lastIndexOf('/') + 1) : identifier;
  const traceOn = config['trace'] === 'enabled' || config['trace'] === 'enabled_full';
  const outputText = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const intervened = directive !== undefined;
  const sent: PlannedBlock[] = intervened
    ? [{ type: 'text', tokens: tokenizeText(guardrailBlockedMessage), text: guardrailBlockedMessage }]
    : blocks;
  if (!traceOn) return { blocks: sent, intervened };

  const blocked = {
    contentPolicy: { filters: [{ type: 'VIOLENCE', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }] },
  };
  const input = { ...(directive?.on === 'input' ? blocked : {}), invocationMetrics: metrics(inputChars) };
  const trace: Record<string, unknown> = { inputAssessment: { [id]: input } };
  if (directive?.on !== 'input') {
    trace['outputAssessments'] = { [id]: [{ ...(intervened ? blocked : {}), invocationMetrics: metrics(outputText.length) }] };
    if (intervened) trace['modelOutput'] = [outputText];
  }
  if (intervened) trace['actionReason'] = 'Guardrail blocked.';
  return { blocks: sent, intervened, trace };
}

function metrics(chars: number): Record<string, unknown> {
  return {
    guardrailProcessingLatency: 100 + (chars % 200),
    usage: {
      topicPolicyUnits: 0,
      contentPolicyUnits: Math.max(1, Math.ceil(chars / 1000)),
      wordPolicyUnits: 0,
      sensitiveInformationPolicyUnits: 0,
      sensitiveInformationPolicyFreeUnits: 0,
      contextualGroundingPolicyUnits: 0,
    },
    guardrailCoverage: { textCharacters: { guarded: chars, total: chars } },
  };
}
