import type { Cluster, Redis } from 'ioredis';
import { turnClaimCommand } from './turn-claim-script.ts';

/** What the claim script says about a turn id for one request fingerprint. */
export type ClaimState =
  /** Another request holds the id. */
  | { kind: 'conflict' }
  /** This request holds the id and its job was added. */
  | { kind: 'exists' }
  /** This request holds the id; the holder of `token` is adding its job right now. */
  | { kind: 'pending'; token: string }
  /** Nobody holds the id (check only). */
  | { kind: 'free' }
  /** This caller now holds the id: add the job, then `settle` (or `release` if the add failed). */
  | { kind: 'claimed'; token: string };

/** The record a claim writes (what getTurn shows of a turn whose job is gone). */
export interface ClaimRecord {
  ref: string;
  modelId: string;
  submittedAt: number;
}

export interface TurnClaims {
  /** Read-only: who holds the id. Never answers `claimed`. */
  check(turnId: string, fingerprint: string): Promise<ClaimState>;
  /** Atomically: who holds the id, or take it (pending) when nobody does. Never answers `free`. */
  claim(turnId: string, fingerprint: string, token: string, record: ClaimRecord): Promise<ClaimState>;
  /** After the job was added: the claim becomes the turn's record for the retention period. False when the claim was lost. */
  settle(turnId: string, fingerprint: string, token: string): Promise<boolean>;
  /** After the add failed: frees the id again if the claim is still `token`'s. */
  release(turnId: string, token: string): Promise<void>;
}

export interface TurnClaimsOptions {
  redis: Redis | Cluster;
  /** The turn's record key (turnKeys(prefix).turnState). */
  recordKey: (turnId: string) => string;
  /** The turn's BullMQ job key (queue.toKey(turnId)). */
  jobKey: (turnId: string) => string;
  /** Lifetime of the settled record, s. */
  retentionSeconds: number;
  /**
   * Lifetime of an unsettled claim, s: a caller that died between claim and settle holds
   * the id at most this long against a different request (the same request can enqueue it
   * at once, see `pending`).
   */
  claimTtlSeconds: number;
}

function toState(reply: string[]): ClaimState {
  const [kind, token] = reply;
  if (kind === 'conflict' || kind === 'exists' || kind === 'free') return { kind };
  if ((kind === 'pending' || kind === 'claimed') && typeof token === 'string') return { kind, token };
  throw new Error(`turn claim script answered ${JSON.stringify(reply).slice(0, 100)}`);
}

/** Idempotency claims on turn ids, each step one call of one Lua script. */
export function createTurnClaims(opts: TurnClaimsOptions): TurnClaims {
  const run = turnClaimCommand(opts.redis);
  // The job lives in the queue's slot, the record in the turn's (turn-claim-script.ts): read apart.
  const jobSays = async (turnId: string, fingerprint: string): Promise<'none' | 'same' | 'other'> => {
    const data = await opts.redis.hget(opts.jobKey(turnId), 'data');
    if (data === null) return 'none';
    try {
      const job = JSON.parse(data) as { fingerprint?: unknown } | null;
      return job !== null && typeof job === 'object' && job.fingerprint === fingerprint ? 'same' : 'other';
    } catch {
      return 'other'; // a job whose data is not ours to read holds the id all the same
    }
  };
  return {
    async check(turnId, fingerprint) {
      return toState(await run(opts.recordKey(turnId), 'check', fingerprint, '', await jobSays(turnId, fingerprint)));
    },
    async claim(turnId, fingerprint, token, record) {
      return toState(
        await run(
          opts.recordKey(turnId),
          'claim',
          fingerprint,
          token,
          await jobSays(turnId, fingerprint),
          record.ref,
          record.modelId,
          String(record.submittedAt),
          String(opts.claimTtlSeconds),
        ),
      );
    },
    async settle(turnId, fingerprint, token) {
      const [outcome] = await run(opts.recordKey(turnId), 'settle', fingerprint, token, String(opts.retentionSeconds));
      return outcome === 'settled';
    },
    async release(turnId, token) {
      await run(opts.recordKey(turnId), 'release', '', token);
    },
  };
}
