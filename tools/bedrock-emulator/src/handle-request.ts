import { randomUUID } from 'node:crypto';
import { checkAuth } from './check-auth.ts';
import type { EmulatorState } from './emulator-state.ts';
import type { OperationName } from './emulator-stats.ts';
import { preStreamErrors } from './error-catalogue.ts';
import { handleAdmin, type EmulatorControl } from './handle-admin.ts';
import { getFoundationModel, listFoundationModels } from './handle-foundation-models.ts';
import { getInferenceProfile, listInferenceProfiles } from './handle-inference-profiles.ts';
import { handleCountTokens } from './handle-count-tokens.ts';
import { decodeModelId, handleRuntime, parseJsonBody } from './handle-runtime.ts';
import type { EmulatorRequest, EmulatorResponse } from './http-types.ts';
import { InvocationError } from './invocation-error.ts';
import { readBody } from './read-body.ts';
import { sendError } from './send-json.ts';
import { destroyResponse } from './destroy-response.ts';

/** Raw-path routes (any prefix before them is allowed: an endpoint with a path keeps it). */
const routes: { op: OperationName; method: string; re: RegExp }[] = [
  { op: 'ConverseStream', method: 'POST', re: /\/model\/([^/]+)\/converse-stream$/ },
  { op: 'Converse', method: 'POST', re: /\/model\/([^/]+)\/converse$/ },
  { op: 'CountTokens', method: 'POST', re: /\/model\/([^/]+)\/count-tokens$/ },
  { op: 'ListFoundationModels', method: 'GET', re: /\/foundation-models\/?$/ },
  { op: 'GetFoundationModel', method: 'GET', re: /\/foundation-models\/([^/]+)$/ },
  { op: 'ListInferenceProfiles', method: 'GET', re: /\/inference-profiles\/?$/ },
  { op: 'GetInferenceProfile', method: 'GET', re: /\/inference-profiles\/([^/]+)$/ },
];

/** The one request handler behind both HTTP/1.1 and HTTP/2. Never throws; every failure becomes an error response. */
export function createRequestHandler(
  state: EmulatorState,
  control: EmulatorControl,
): (req: EmulatorRequest, res: EmulatorResponse) => void {
  return (req, res) => {
    const requestId = randomUUID();
    const startedAt = Date.now();
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    void route(state, control, req, res, requestId, startedAt).catch((err: unknown) => {
      if (err instanceof InvocationError) {
        state.stats.errors[err.errorName] = (state.stats.errors[err.errorName] ?? 0) + 1;
        sendError(res, err.errorName, err.message, { requestId, status: err.status });
        return;
      }
      state.options.logger?.error({ err, requestId }, 'Bedrock emulator: request failed');
      if (!res.headersSent) sendError(res, 'InternalServerException', preStreamErrors.InternalServerException.message, { requestId });
      else destroyResponse(res);
    });
  };
}

async function route(
  state: EmulatorState,
  control: EmulatorControl,
  req: EmulatorRequest,
  res: EmulatorResponse,
  requestId: string,
  startedAt: number,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  state.options.logger?.debug({ method: req.method, path: path.slice(0, 300), requestId }, 'Bedrock emulator: request');
  if (path.startsWith('/_emulator/')) return handleAdmin(state, control, req, res, path, requestId);
  const match = routes.map((r) => ({ r, m: r.re.exec(path) })).find((x) => x.m !== null && x.r.method === req.method);
  if (match === undefined || match.m === null) {
    req.resume();
    throw new InvocationError(
      'UnknownOperationException',
      `No operation matches ${String(req.method).slice(0, 10)} ${path.slice(0, 200)}.`,
    );
  }
  const op = match.r.op;
  state.stats.calls[op]++;
  const auth = checkAuth(req, state.options.requireAuth);
  if (!auth.ok) {
    req.resume();
    throw new InvocationError('AccessDeniedException', auth.message);
  }
  state.stats.auth[auth.scheme]++;
  const label = match.m[1] ?? '';
  if (op === 'Converse' || op === 'ConverseStream' || op === 'CountTokens') {
    const body = await readBody(req, state.options.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'aborted') return;
      throw new InvocationError(
        'ValidationException',
        `The request body exceeds the emulator limit of ${state.options.maxBodyBytes} bytes (maxBodyBytes).`,
        413,
      );
    }
    if (op === 'CountTokens') {
      return handleCountTokens(state, res, {
        modelId: decodeModelId(label),
        json: parseJsonBody(body.body),
        region: auth.region,
        requestId,
      });
    }
    return handleRuntime(state, req, res, { op, rawModelId: label, body: body.body, region: auth.region, requestId, startedAt });
  }
  req.resume();
  if (op === 'ListFoundationModels') return listFoundationModels(state, res, query, auth.region, requestId);
  if (op === 'ListInferenceProfiles') return listInferenceProfiles(state, res, query, auth.region, requestId);
  let id: string;
  try {
    id = decodeURIComponent(label);
  } catch {
    throw new InvocationError('ValidationException', 'The identifier in the path is not valid percent-encoding.');
  }
  if (op === 'GetFoundationModel') return getFoundationModel(state, res, id, auth.region, requestId);
  return getInferenceProfile(state, res, id, auth.region, requestId);
}
