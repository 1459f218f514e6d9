import type { Redis } from 'ioredis';
import { TurnError } from '@turnpool/protocol';
import { turnKeys } from '../turn-keys.ts';
import type { TurnState } from './turn-info.ts';

/**
 * Adds a turn to the recent-turns index and keeps the index bounded: entries older than the
 * retention go (their turns expired), then the oldest beyond `max`; the key itself expires
 * with the newest turn. One key, one script call per submitted turn.
 *
 * KEYS[1] the index; ARGV[1] submittedAt (ms), ARGV[2] turn id, ARGV[3] retention s, ARGV[4] max
 */
const indexLua = `
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - retention * 1000))
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1) end
redis.call('EXPIRE', KEYS[1], retention)
return 1
`;
const commandName = 'turnpoolTurnIndex';

export async function indexTurn(
  redis: Redis,
  keyPrefix: string,
  turnId: string,
  submittedAt: number,
  retentionSeconds: number,
  max: number,
): Promise<void> {
  const commands = redis as unknown as Record<string, (...args: string[]) => Promise<unknown>>;
  if (typeof commands[commandName] !== 'function') redis.defineCommand(commandName, { lua: indexLua, numberOfKeys: 1 });
  await commands[commandName]!.call(
    redis,
    turnKeys(keyPrefix).turnIndex,
    String(submittedAt),
    turnId,
    String(retentionSeconds),
    String(max),
  );
}

/** One turn in a listing (`GET /v1/turns`): its record's summary, never its events. */
export interface TurnListItem {
  turnId: string;
  state: TurnState;
  modelId: string;
  hostId: string | null;
  submittedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  errorCode: string | null;
}

/** Filters and paging of {@link listTurns}; names as the HTTP query parameters, which errors name. */
export interface TurnListQuery {
  state?: TurnState;
  /** modelId, exact. */
  model?: string;
  /** hostId, exact. */
  host?: string;
  /** errorCode, exact. */
  error?: string;
  /** 1-200. @defaultValue 50 */
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
}

export interface TurnPage {
  turns: TurnListItem[];
  /** Where the next page starts; null after the last one. */
  nextCursor: string | null;
}

const turnStates: readonly TurnState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
/** Index entries one call examines at most when filters skip turns (bounds a request's cost). */
export const maxExaminedPerPage = 2000;
const cursorPattern = /^(\d{1,15}):([A-Za-z0-9._-]{1,128})$/;

function bad(field: string, message: string): TurnError {
  return new TurnError('invalid_request', message, { field });
}

function checkQuery(q: TurnListQuery): { limit: number; after: { score: number; id: string } | undefined } {
  if (q.state !== undefined && !turnStates.includes(q.state)) throw bad('state', `state must be one of ${turnStates.join(', ')}.`);
  for (const field of ['model', 'host', 'error'] as const) {
    const v = q[field];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > 256)) throw bad(field, `${field} must be 1-256 characters.`);
  }
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw bad('limit', 'limit must be an integer 1-200.');
  if (q.cursor === undefined) return { limit, after: undefined };
  const m = typeof q.cursor === 'string' ? cursorPattern.exec(q.cursor) : null;
  if (!m) throw bad('cursor', 'cursor must be a nextCursor this API returned.');
  return { limit, after: { score: Number(m[1]), id: m[2]! } };
}

const num = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));

/** The listing's view of one record; undefined when the record is gone (the turn expired). */
function itemOf(turnId: string, h: Record<string, string>): TurnListItem | undefined {
  if (!h['modelId']) return undefined;
  const endState = h['endState'];
  const state: TurnState =
    endState === 'succeeded' || endState === 'failed' || endState === 'cancelled' ? endState : h['startedAt'] ? 'running' : 'queued';
  return {
    turnId,
    state,
    modelId: h['modelId'],
    hostId: h['hostId'] || null,
    submittedAt: Number(h['submittedAt'] ?? 0),
    startedAt: num(h['startedAt']),
    endedAt: num(h['endedAt']),
    ttftMs: num(h['ttftMs']),
    inputTokens: num(h['inputTokens']),
    outputTokens: num(h['outputTokens']),
    errorCode: h['errorCode'] || null,
  };
}

function matches(item: TurnListItem, q: TurnListQuery): boolean {
  return (
    (q.state === undefined || item.state === q.state) &&
    (q.model === undefined || item.modelId === q.model) &&
    (q.host === undefined || item.hostId === q.host) &&
    (q.error === undefined || item.errorCode === q.error)
  );
}

/**
 * Recent turns, newest first, from the index and each turn's record (one HGETALL a turn, sent
 * together). The cursor is a position in submit order (`<submittedAt>:<turnId>`), so turns
 * submitted meanwhile never shift a later page. With filters, at most `maxExaminedPerPage`
 * entries are examined: a page may be short while `nextCursor` is set.
 */
export async function listTurns(redis: Redis, keyPrefix: string, query: TurnListQuery = {}): Promise<TurnPage> {
  const { limit, after } = checkQuery(query);
  const keys = turnKeys(keyPrefix);
  const filtered = query.state !== undefined || query.model !== undefined || query.host !== undefined || query.error !== undefined;
  const batch = filtered ? 200 : limit + 1;
  const max = after ? String(after.score) : '+inf';
  const turns: TurnListItem[] = [];
  let examined = 0;
  let offset = 0;
  let last: { score: number; id: string } | undefined;
  for (;;) {
    const flat = await redis.zrange(keys.turnIndex, max, '-inf', 'BYSCORE', 'REV', 'LIMIT', offset, batch, 'WITHSCORES');
    offset += flat.length / 2;
    const entries: Array<{ id: string; score: number }> = [];
    for (let i = 0; i < flat.length; i += 2) {
      const id = flat[i]!;
      const score = Number(flat[i + 1]);
      // Same submit ms as the cursor: the REV order is by id descending, so the cursor's id and above came before.
      if (after && score === after.score && id >= after.id) continue;
      entries.push({ id, score });
    }
    const records = await Promise.all(entries.map((e) => redis.hgetall(keys.record(e.id))));
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (turns.length === limit) return { turns, nextCursor: `${last!.score}:${last!.id}` };
      examined++;
      last = e;
      const item = itemOf(e.id, records[i]!);
      if (item && matches(item, query)) turns.push(item);
      if (examined >= maxExaminedPerPage) return { turns, nextCursor: `${e.score}:${e.id}` };
    }
    if (flat.length / 2 < batch) return { turns, nextCursor: null };
  }
}
