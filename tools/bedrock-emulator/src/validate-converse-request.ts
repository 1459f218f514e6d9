import { InvocationError } from './invocation-error.ts';
import type { ConverseRequestJson } from './response-plan.ts';
import { validateDocumentBlock } from './validate-document-block.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const constraint = (path: string, what: string): InvocationError =>
  new InvocationError('ValidationException', `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${what}`);

/** Checks the Converse(Stream) body the way Bedrock does before invoking a model (the invocation rules of `resolveModel`); document blocks by their shape. */
export function validateConverseRequest(body: unknown): ConverseRequestJson {
  if (!isObj(body)) throw new InvocationError('ValidationException', 'The request body must be a JSON object.');
  const msgs = body['messages'];
  if (msgs !== undefined && !Array.isArray(msgs)) throw constraint('messages', 'Member must be a list');
  const messages = (msgs ?? []) as unknown[];
  let hasToolBlocks = false;
  messages.forEach((m, i) => {
    const at = `messages.${i + 1}.member`;
    if (!isObj(m)) throw constraint(at, 'Member must be a structure');
    if (m['role'] !== 'user' && m['role'] !== 'assistant')
      throw constraint(`${at}.role`, 'Member must satisfy enum value set: [user, assistant]');
    if (!Array.isArray(m['content'])) throw constraint(`${at}.content`, 'Member must not be null');
    m['content'].forEach((b, j) => {
      if (!isObj(b) || Object.keys(b).length === 0)
        throw constraint(`${at}.content.${j + 1}.member`, 'Member must be a union with exactly one member set');
      if ('toolUse' in b || 'toolResult' in b) hasToolBlocks = true;
      if ('document' in b) validateDocumentBlock(b['document'], `${at}.content.${j + 1}.member.document`);
    });
  });
  const first = messages[0];
  if (!isObj(first) || first['role'] !== 'user') {
    throw new InvocationError(
      'ValidationException',
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  for (let i = 1; i < messages.length; i++) {
    if ((messages[i] as Record<string, unknown>)['role'] === (messages[i - 1] as Record<string, unknown>)['role']) {
      throw new InvocationError(
        'ValidationException',
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
  }
  if (hasToolBlocks && !isObj(body['toolConfig'])) {
    throw new InvocationError(
      'ValidationException',
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    );
  }
  const cfg = body['inferenceConfig'];
  if (cfg !== undefined) {
    if (!isObj(cfg)) throw constraint('inferenceConfig', 'Member must be a structure');
    const max = cfg['maxTokens'];
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1))
      throw constraint('inferenceConfig.maxTokens', 'Member must have value greater than or equal to 1');
    const stops = cfg['stopSequences'];
    if (stops !== undefined && (!Array.isArray(stops) || !stops.every((s) => typeof s === 'string')))
      throw constraint('inferenceConfig.stopSequences', 'Member must be a list of strings');
  }
  if (body['system'] !== undefined && !Array.isArray(body['system'])) throw constraint('system', 'Member must be a list');
  if (body['guardrailConfig'] !== undefined) validateGuardrailConfig(body['guardrailConfig']);
  return body as ConverseRequestJson;
}

/** `guardrailConfig` against GuardrailStreamConfiguration's patterns and enums. */
function validateGuardrailConfig(g: unknown): void {
  if (!isObj(g)) throw constraint('guardrailConfig', 'Member must be a structure');
  const id = g['guardrailIdentifier'];
  if (
    typeof id !== 'string' ||
    id.length > 2048 ||
    !/^(|[a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/.test(id)
  ) {
    throw constraint(
      'guardrailConfig.guardrailIdentifier',
      'Member must satisfy regular expression pattern: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))',
    );
  }
  const version = g['guardrailVersion'];
  if (typeof version !== 'string' || !/^(|[1-9][0-9]{0,7}|DRAFT)$/.test(version)) {
    throw constraint('guardrailConfig.guardrailVersion', 'Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT))');
  }
  if (g['trace'] !== undefined && !['enabled', 'disabled', 'enabled_full'].includes(String(g['trace']))) {
    throw constraint('guardrailConfig.trace', 'Member must satisfy enum value set: [enabled, disabled, enabled_full]');
  }
  if (g['streamProcessingMode'] !== undefined && !['sync', 'async'].includes(String(g['streamProcessingMode']))) {
    throw constraint('guardrailConfig.streamProcessingMode', 'Member must satisfy enum value set: [sync, async]');
  }
}

/** Nesting depth of parsed JSON, iteratively (no recursion on hostile input). Stops counting at `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}
