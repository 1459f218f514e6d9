import type { GuardrailTraceAssessment } from '@aws-sdk/client-bedrock-runtime';
import type { GuardrailTrace } from '@turnpool/protocol';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `metadata.trace.guardrail` -> the `guardrailTrace` of `turn-end`, or `undefined` when Bedrock
 * sent none (or an empty one). Lenient: keeps the four members Bedrock documents when they have
 * the documented shape and drops anything else; assessments pass through as sent.
 */
export function toGuardrailTrace(trace: GuardrailTraceAssessment | undefined): GuardrailTrace | undefined {
  if (!isRecord(trace)) return undefined;
  const out: GuardrailTrace = {};
  if (Array.isArray(trace.modelOutput)) out.modelOutput = trace.modelOutput.filter((s): s is string => typeof s === 'string');
  if (isRecord(trace.inputAssessment)) out.inputAssessment = { ...trace.inputAssessment };
  if (isRecord(trace.outputAssessments)) {
    out.outputAssessments = Object.fromEntries(
      Object.entries(trace.outputAssessments).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1])),
    );
  }
  if (typeof trace.actionReason === 'string') out.actionReason = trace.actionReason;
  return Object.keys(out).length > 0 ? out : undefined;
}
