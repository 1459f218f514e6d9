import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorResponse } from './http-types.ts';
import { InvocationError } from './invocation-error.ts';
import { estimateInputTokens } from './request-text.ts';
import { resolveModel } from './resolve-model.ts';
import { sendJson } from './send-json.ts';
import { validateConverseRequest } from './validate-converse-request.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const constraint = (path: string, what: string): InvocationError =>
  new InvocationError('ValidationException', `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${what}`);

/**
 * POST /model/{id}/count-tokens -> `{ inputTokens }`, free of quota: the model id is resolved as for
 * ConverseStream (same errors), `input.converse` is validated like a Converse body and counted exactly as
 * the emulator bills `usage.inputTokens` for it; `input.invokeModel.body` (base64 JSON) is counted from its
 * `system`, `messages` (or `prompt` / `inputText`) and `tools`.
 */
export function handleCountTokens(
  state: EmulatorState,
  res: EmulatorResponse,
  call: { modelId: string; json: unknown; region: string | undefined; requestId: string },
): void {
  resolveModel(call.modelId, state.catalog, { ...state.options, region: call.region });
  if (!isObj(call.json) || !isObj(call.json['input'])) throw constraint('input', 'Member must not be null');
  const input = call.json['input'];
  const members = Object.keys(input).filter((k) => input[k] !== undefined && input[k] !== null);
  if (members.length !== 1) throw constraint('input', 'Member must be a union with exactly one member set');
  const converse = input['converse'];
  const invoke = input['invokeModel'];
  let inputTokens: number;
  if (isObj(converse)) inputTokens = estimateInputTokens(validateConverseRequest(converse));
  else if (isObj(invoke)) inputTokens = countInvokeModelBody(invoke['body']);
  else throw constraint(`input.${members[0] ?? ''}`, 'Member must be one of [converse, invokeModel]');
  sendJson(res, 200, { inputTokens }, call.requestId);
}

function countInvokeModelBody(body: unknown): number {
  if (typeof body !== 'string' || body.length === 0) throw constraint('input.invokeModel.body', 'Member must not be null');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
  } catch {
    throw new InvocationError('ValidationException', 'The provided request body is not valid JSON for the model.');
  }
  if (!isObj(json)) throw new InvocationError('ValidationException', 'The provided request body is not valid JSON for the model.');
  const tools = json['tools'];
  return estimateInputTokens({
    system: json['system'],
    messages: json['messages'] ?? json['prompt'] ?? json['inputText'],
    toolConfig: tools === undefined ? undefined : { tools },
  });
}
