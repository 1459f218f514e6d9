// The shapes the console reads, as docs/api.md documents them. Only the fields the page shows.

export type TurnState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One row of `GET /v1/turns` (and of the feed's `turns`). */
export interface TurnRow {
  turnId: string;
  state: TurnState;
  modelId: string | null;
  hostId: string | null;
  submittedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  errorCode: string | null;
}

export interface TurnPage {
  turns: TurnRow[];
  nextCursor: string | null;
}

/** `GET /v1/hosts`: one worker host's heartbeat. */
export interface HostInfo {
  hostId: string;
  hostname: string;
  pid: number;
  version: string;
  startedAt: number;
  lastSeenAt: number;
  threads: number;
  runningTurns: number;
  maxTurns: number;
}

/** `GET /v1/queue`: BullMQ job counts. */
export type QueueCounts = Record<'waiting' | 'active' | 'delayed' | 'prioritized' | 'failed' | 'completed', number>;

/** `GET /v1/models/live`: one model's live figures. */
export interface LiveModel {
  modelId: string;
  running: number;
  waiting: number;
  throttles: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  outputTokensPerSecond: number;
  turns: number;
  unavailable: boolean;
}

/** One `event: summary` of `GET /v1/console/feed`. */
export interface FeedSummary {
  at: number;
  queue: QueueCounts;
  hosts: HostInfo[];
  windowMinutes: number;
  models: LiveModel[];
  turns: TurnRow[];
}

/** `GET /v1/models`: a catalog entry (the fields the console shows). */
export interface CatalogModel {
  id: string;
  name: string;
  provider?: string;
  contextWindow?: number;
  maxTokens?: number;
  input?: string[];
  available?: boolean;
  lifecycle?: string;
}

/** `GET /v1/quotas`: one quota key's admission state. */
export interface QuotaInfo {
  quotaKey: string;
  configured: { rpm?: number; tpm?: number; tokensPerDay?: number };
  learnedConcurrency: number | null;
  available: { requests: number | null; tokens: number | null };
  inFlight: number;
  reservedTokens: number;
  waiting: number;
  throttlesLastMinute: number;
  tokensToday: number;
}

/** `GET /v1/turns/:id`. */
export interface TurnInfo {
  turnId: string;
  state: TurnState;
  attempt: number;
  model: { ref: string; modelId: string } | null;
  submittedAt: number;
  finishedAt: number | null;
  lastSeq: number;
  error: { code: string; message: string } | null;
}

/** The error body every API error answers with. */
export interface ApiErrorBody {
  error: { code: string; message: string; retryable?: boolean; field?: string };
}

/** A turn event (docs/protocol.md): the discriminant and the fields the console renders. */
export interface TurnEvent {
  type: string;
  seq: number;
  attempt: number;
  ts: number;
  index?: number;
  text?: string;
  signature?: string;
  redacted?: string;
  name?: string;
  toolUseId?: string;
  json?: string;
  [field: string]: unknown;
}

export const terminalEventTypes: ReadonlySet<string> = new Set(['turn-end', 'turn-error', 'turn-cancelled']);
