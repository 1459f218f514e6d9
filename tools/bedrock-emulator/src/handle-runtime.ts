import { setTimeout as sleep } from 'node:timers/promises';
import { buildStreamEvents } from './build-stream-events.ts';
import { attemptNumber, countCall } from './attempt-number.ts';
import { DirectiveError } from './directives.ts';
import type { EmulatorState } from './emulator-state.ts';
import { isPreStreamErrorName } from './error-catalogue.ts';
import type { EmulatorRequest, EmulatorResponse } from './http-types.ts';
import { InvocationError } from './invocation-error.ts';
import { planFaults } from './plan-faults.ts';
import { planResponse } from './plan-response.ts';
import { resolveModel } from './resolve-model.ts';
import { jsonDepth, validateConverseRequest } from './validate-converse-request.ts';
import { writeEventStream } from './write-event-stream.ts';
import { sendConverseResponse } from './send-converse-response.ts';

export interface RuntimeCall {
  op: 'Converse' | 'ConverseStream';
  rawModelId: string;
  body: Buffer;
  region: string | undefined;
  requestId: string;
  startedAt: number;
}

/** POST /model/{id}/converse(-stream): parse, validate, resolve the model, plan, inject faults, answer. */
export async function handleRuntime(state: EmulatorState, req: EmulatorRequest, res: EmulatorResponse, call: RuntimeCall): Promise<void> {
  const modelId = decodeModelId(call.rawModelId);
  const json = parseJsonBody(call.body);
  resolveModel(modelId, state.catalog, { ...state.options, region: call.region });
  const request = validateConverseRequest(json);
  let plan;
  try {
    plan = planResponse(modelId, request, state.options);
  } catch (err) {
    if (err instanceof DirectiveError) throw new InvocationError('ValidationException', `Emulator directive ${err.message}`);
    throw err;
  }
  const ff = plan.directives.failFirst;
  if (ff !== undefined && attemptNumber(state, req, modelId, call.body) <= ff.attempts) {
    state.stats.faultsInjected++;
    throw new InvocationError(isPreStreamErrorName(ff.name) ? ff.name : 'ServiceUnavailableException');
  }
  const fc = plan.directives.failCalls;
  if (fc !== undefined && countCall(state, modelId, call.body) <= fc.count) {
    state.stats.faultsInjected++;
    throw new InvocationError(isPreStreamErrorName(fc.name) ? fc.name : 'ServiceUnavailableException');
  }
  const steps = buildStreamEvents(plan);
  const o = state.options;
  const faults = planFaults(plan.directives, o.faultRate, o.faultKinds, o.stallMs, steps.length, state.random);
  if (faults.preStream !== undefined || faults.inStream !== undefined) state.stats.faultsInjected++;
  if (faults.preStream !== undefined) {
    throw new InvocationError(isPreStreamErrorName(faults.preStream) ? faults.preStream : 'InternalServerException');
  }
  if (call.op === 'ConverseStream') {
    await writeEventStream({ state, res, steps, faults, startedAt: call.startedAt, requestId: call.requestId });
    return;
  }
  const f = faults.inStream;
  if (f?.error !== undefined) throw new InvocationError(isPreStreamErrorName(f.error) ? f.error : 'InternalServerException');
  const totalTokens = plan.usage.outputTokens;
  const genMs = plan.pacing.ttftMs + (plan.pacing.tokensPerSecond > 0 ? (totalTokens * 1000) / plan.pacing.tokensPerSecond : 0);
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  await Promise.race([sleep(genMs + (f?.stallMs ?? 0)), closed]);
  if (res.destroyed || res.writableEnded) return;
  sendConverseResponse(res, plan, { cut: f?.cut === true, reset: f?.reset === true || f?.drop === true, startedAt: call.startedAt, requestId: call.requestId });
}

function decodeModelId(raw: string): string {
  try {
    const id = decodeURIComponent(raw);
    if (id.length === 0 || id.length > 2048) throw new URIError('length');
    return id;
  } catch {
    throw new InvocationError('ValidationException', 'The provided model identifier is invalid.');
  }
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new InvocationError('SerializationException', `The request body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (jsonDepth(json, 100) > 100) throw new InvocationError('ValidationException', 'The request body is nested more than 100 levels deep.');
  return json;
}
