/** The envelope fields of a turn event the checks read. */
export interface LoggedEvent {
  type: string;
  seq: number;
  attempt: number;
  code?: string;
}

/** What one turn's event log says. */
export interface TurnLogVerdict {
  /** `turn-end`, `turn-error`, `turn-cancelled`, or null while none. */
  terminal: string | null;
  /** Terminal events in the log (must be 1). */
  terminalCount: number;
  /** The error code of a `turn-error`. */
  code: string | null;
  /** Seq values missing between 1 and the last seq. */
  gaps: number;
  /** Seq values seen more than once, or out of order. */
  duplicates: number;
  /** `turn-retry` events. */
  retries: number;
  /** Highest attempt seen. */
  attempts: number;
  /** Events after the terminal one (must be 0). */
  afterTerminal: number;
  /** Attempt numbers that went down, or rose without a `turn-retry` marking the new attempt. */
  unmarkedAttempts: number;
}

const terminalTypes = new Set(['turn-end', 'turn-error', 'turn-cancelled']);

/**
 * Checks one turn's event log (in stream order): seq 1..n with no gap or repeat, exactly one
 * terminal event and nothing after it, and every new attempt announced by a `turn-retry`.
 */
export function checkTurnLog(events: readonly LoggedEvent[]): TurnLogVerdict {
  let gaps = 0;
  let duplicates = 0;
  let retries = 0;
  let terminalCount = 0;
  let afterTerminal = 0;
  let unmarkedAttempts = 0;
  let terminal: string | null = null;
  let code: string | null = null;
  let expected = 1;
  let attempt = 0;
  for (const e of events) {
    if (e.seq === expected) expected++;
    else if (e.seq > expected) {
      gaps += e.seq - expected;
      expected = e.seq + 1;
    } else duplicates++;
    if (terminalCount > 0) afterTerminal++;
    if (e.type === 'turn-retry') retries++;
    if (e.attempt < attempt || (e.attempt > attempt && attempt > 0 && e.type !== 'turn-retry')) unmarkedAttempts++;
    attempt = Math.max(attempt, e.attempt);
    if (terminalTypes.has(e.type)) {
      terminalCount++;
      terminal = e.type;
      if (e.type === 'turn-error') code = e.code ?? null;
    }
  }
  return { terminal, terminalCount, code, gaps, duplicates, retries, attempts: attempt, afterTerminal, unmarkedAttempts };
}

/** True when the verdict is a clean, finished log. */
export function isCleanLog(v: TurnLogVerdict): boolean {
  return v.terminalCount === 1 && v.gaps === 0 && v.duplicates === 0 && v.afterTerminal === 0 && v.unmarkedAttempts === 0;
}
