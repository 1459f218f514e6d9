import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../check-turn-log.ts';
import { compareReceived } from './tally-turns.ts';

const log = (n: number): LoggedEvent[] => Array.from({ length: n }, (_, i) => ({ seq: i + 1, attempt: 1, type: 'text-delta' }));
const received = (turnId: string, seqs: number[], events: LoggedEvent[]) => ({
  turnId,
  seqs,
  raw: seqs.map((s) => JSON.stringify(events[s - 1] ?? { seq: s })),
});

describe('compareReceived', () => {
  it('counts repeats and events after a later one as duplicates, skipped seqs as gaps, and differing turns as mismatched', () => {
    const events = log(4);
    const logs = new Map([
      ['ok', events],
      ['gap', events],
      ['dup', events],
      ['late', events],
    ]);
    expect(
      compareReceived(
        [
          received('ok', [1, 2, 3, 4], events),
          received('gap', [1, 2, 4], events),
          received('dup', [1, 2, 2, 3, 4], events),
          received('late', [1, 3, 2, 4], events),
        ],
        logs,
      ),
    ).toEqual({ gaps: 2, duplicates: 2, mismatched: 3 });
    expect(compareReceived([received('ok', [1, 2, 3, 4], events)], logs)).toEqual({ gaps: 0, duplicates: 0, mismatched: 0 });
  });
});
