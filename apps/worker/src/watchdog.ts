import { TurnError } from '@turnpool/protocol';

type WatchdogCode = 'first_chunk_timeout' | 'idle_timeout' | 'turn_timeout';

const describe: Record<WatchdogCode, string> = {
  first_chunk_timeout: 'Bedrock sent no event within {ms} ms of the request (first-chunk timeout).',
  idle_timeout: 'The Bedrock stream sent nothing for {ms} ms (idle timeout).',
  turn_timeout: 'The turn ran longer than {ms} ms (turn timeout).',
};

export interface WatchdogOptions {
  /** Abort when no event arrives this long after the request was sent. 0 disables. */
  firstChunkMs: number;
  /** Abort when the gap between two events exceeds this. 0 disables. */
  idleMs: number;
  /** Abort the whole attempt after this long. 0 disables. */
  turnMs: number;
}

/**
 * Three timers guarding one Bedrock stream: first chunk, idle gap and whole turn. Each aborts
 * the turn's controller with a `TurnError` of its own code as the reason (libs/bedrock's
 * classifier returns that reason), so a stalled stream never hangs a turn.
 */
export class Watchdog {
  private first: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private readonly total: NodeJS.Timeout | undefined;
  private sawChunk = false;

  constructor(
    private readonly controller: AbortController,
    private readonly opts: WatchdogOptions,
  ) {
    if (opts.turnMs > 0) this.total = setTimeout(() => this.fire('turn_timeout', opts.turnMs), opts.turnMs);
    if (opts.firstChunkMs > 0) this.first = setTimeout(() => this.fire('first_chunk_timeout', opts.firstChunkMs), opts.firstChunkMs);
  }

  /** Call on every event from Bedrock. */
  chunk(): void {
    if (!this.sawChunk) {
      this.sawChunk = true;
      clearTimeout(this.first);
      this.first = undefined;
    }
    if (this.opts.idleMs > 0) {
      if (this.idle) this.idle.refresh();
      else this.idle = setTimeout(() => this.fire('idle_timeout', this.opts.idleMs), this.opts.idleMs);
    }
  }

  stop(): void {
    clearTimeout(this.first);
    clearTimeout(this.idle);
    clearTimeout(this.total);
  }

  private fire(code: WatchdogCode, ms: number): void {
    this.stop();
    if (!this.controller.signal.aborted) this.controller.abort(new TurnError(code, describe[code].replace('{ms}', String(ms))));
  }
}
