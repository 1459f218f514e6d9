import type { ProfileSummary } from './catalog.ts';
import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorResponse } from './http-types.ts';
import { InvocationError } from './invocation-error.ts';
import { isProfileVisible, localizeArn } from './region-scope.ts';
import { sendJson } from './send-json.ts';

const types = ['SYSTEM_DEFINED', 'APPLICATION'];
const localize = (p: ProfileSummary, region: string | undefined): ProfileSummary => ({
  ...p,
  inferenceProfileArn: localizeArn(p.inferenceProfileArn, region),
});
const validation = (msg: string): InvocationError => new InvocationError('ValidationException', msg);

/** GET /inference-profiles?type=&maxResults=&nextToken= (Bedrock's ListInferenceProfiles query; `typeEquals` accepted too). */
export function listInferenceProfiles(
  state: EmulatorState,
  res: EmulatorResponse,
  query: URLSearchParams,
  region: string | undefined,
  requestId: string,
): void {
  const type = query.get('type') ?? query.get('typeEquals');
  if (type !== null && !types.includes(type)) {
    throw validation(
      `1 validation error detected: Value '${type.slice(0, 100)}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [${types.join(', ')}]`,
    );
  }
  const maxRaw = query.get('maxResults');
  const max = maxRaw === null ? 1000 : Number(maxRaw);
  if (!/^\d{1,4}$/.test(maxRaw ?? '1000') || max < 1 || max > 1000) {
    throw validation(
      `1 validation error detected: Value '${(maxRaw ?? '').slice(0, 20)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  const all = state.catalog.profiles.filter((p) => isProfileVisible(p, region) && (type === null || p.type === type));
  const start = decodeToken(query.get('nextToken'), all.length);
  const page = all.slice(start, start + max).map((p) => localize(p, region));
  const next = start + max < all.length ? encodeToken(start + max) : undefined;
  sendJson(
    res,
    200,
    next === undefined ? { inferenceProfileSummaries: page } : { inferenceProfileSummaries: page, nextToken: next },
    requestId,
  );
}

/** GET /inference-profiles/{id or ARN} -> the summary members at top level, as GetInferenceProfile answers. */
export function getInferenceProfile(
  state: EmulatorState,
  res: EmulatorResponse,
  id: string,
  region: string | undefined,
  requestId: string,
): void {
  const key = /inference-profile\/(.+)$/.exec(id)?.[1] ?? id;
  const p = state.catalog.profiles.find((x) => x.inferenceProfileId === key || x.inferenceProfileArn === id);
  if (p === undefined || !isProfileVisible(p, region)) {
    throw new InvocationError('ResourceNotFoundException', `The inference profile ${JSON.stringify(id.slice(0, 200))} was not found.`);
  }
  sendJson(res, 200, localize(p, region), requestId);
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeToken(token: string | null, total: number): number {
  if (token === null) return 0;
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && o <= total) return o;
  } catch {
    // fall through
  }
  throw validation('The pagination token (nextToken) is invalid.');
}
