import type { HostHeartbeat } from '../fleet/host-heartbeat.ts';
import type { TurnListItem } from '../record/turn-index.ts';
import type { LiveModelFigures } from './live-model-figures.ts';

/**
 * The job counts `GET /v1/queue` answers, in a fixed order and shape (the dispatcher fills the
 * counts BullMQ leaves out with 0). Declared here, with the other read-side shapes, so the
 * console can import it: the console cannot depend on the dispatcher, which builds it.
 */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  failed: number;
  completed: number;
}

/** One `event: summary` of `GET /v1/console/feed`. */
export interface ConsoleSummary {
  /** When it was read, epoch ms. */
  at: number;
  queue: QueueCounts;
  hosts: HostHeartbeat[];
  windowMinutes: number;
  models: LiveModelFigures[];
  /** The newest turns (`GET /v1/turns`' first page). */
  turns: TurnListItem[];
}
