import { guardrailConfigSchema, type GuardrailConfig } from './guardrail-config-schema.ts';

/**
 * A default guardrail given to a library as an option (the worker host, the request builder):
 * `undefined` stays undefined; a valid one comes back parsed (plain data); a bad one throws a
 * TypeError naming the field under `label`, e.g. `worker option guardrail.trace: …`.
 */
export function checkGuardrailOption(guardrail: GuardrailConfig | undefined, label: string): GuardrailConfig | undefined {
  if (guardrail === undefined) return undefined;
  const parsed = guardrailConfigSchema.safeParse(guardrail);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = [label, ...(issue?.path ?? []).map(String)].join('.');
  throw new TypeError(`${key}: ${issue?.message ?? 'invalid'}`);
}
