import type { EmulatorState } from './emulator-state.ts';
import { EmulatorOptionsError } from './emulator-options-error.ts';
import type { EmulatorOptions } from './emulator-options.ts';
import type { EmulatorStats } from './emulator-stats.ts';
import type { EmulatorRequest, EmulatorResponse } from './http-types.ts';
import { readBody } from './read-body.ts';
import { sendError, sendJson } from './send-json.ts';

/** What the admin endpoint may do to the running emulator. */
export interface EmulatorControl {
  stats(): EmulatorStats;
  reset(): void;
  configure(patch: Partial<EmulatorOptions>): void;
}

const ADMIN_BODY_LIMIT = 1024 * 1024;

/**
 * GET /_emulator/stats, GET /_emulator/config, POST /_emulator/reset, POST /_emulator/config (JSON patch; `quotas`
 * replaces the quota table), GET /_emulator/quotas (the table and the live bucket levels).
 */
export async function handleAdmin(
  state: EmulatorState,
  control: EmulatorControl,
  req: EmulatorRequest,
  res: EmulatorResponse,
  path: string,
  requestId: string,
): Promise<void> {
  const route = `${req.method ?? ''} ${path}`;
  if (route === 'GET /_emulator/stats') return sendJson(res, 200, control.stats(), requestId);
  if (route === 'GET /_emulator/config') return sendJson(res, 200, publicOptions(state), requestId);
  if (route === 'GET /_emulator/quotas') {
    const { quotas, now } = state.options;
    return sendJson(res, 200, { quotas, buckets: state.quotaBuckets.levels(now(), quotas) }, requestId);
  }
  if (route === 'POST /_emulator/reset') {
    control.reset();
    return sendJson(res, 200, { ok: true }, requestId);
  }
  if (route === 'POST /_emulator/config') {
    const body = await readBody(req, ADMIN_BODY_LIMIT);
    if (!body.ok) {
      if (body.reason === 'too-large')
        sendError(res, 'ValidationException', `The config patch exceeds ${ADMIN_BODY_LIMIT} bytes.`, { status: 413, requestId });
      return;
    }
    let patch: unknown;
    try {
      patch = JSON.parse(body.body.toString('utf8'));
    } catch (err) {
      return sendError(res, 'SerializationException', `The config patch is not valid JSON: ${(err as Error).message.slice(0, 200)}`, {
        requestId,
      });
    }
    try {
      control.configure(patch as Partial<EmulatorOptions>);
    } catch (err) {
      if (err instanceof EmulatorOptionsError) return sendError(res, 'ValidationException', err.message, { requestId });
      throw err;
    }
    return sendJson(res, 200, { ok: true, config: publicOptions(state) }, requestId);
  }
  sendError(
    res,
    'UnknownOperationException',
    `No admin route ${route.slice(0, 200)}; known: GET /_emulator/stats, GET|POST /_emulator/config, GET /_emulator/quotas, POST /_emulator/reset.`,
    { requestId },
  );
}

function publicOptions(state: EmulatorState): Record<string, unknown> {
  const { logger: _logger, now: _now, ...rest } = state.options;
  return rest;
}
