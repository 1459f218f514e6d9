/** Wait after the first failed IMDS probe before the next one may run, ms. */
export const imdsFirstRetryMs = 5_000;
/** Longest wait between two IMDS probes of one endpoint, ms. */
export const imdsMaxRetryMs = 300_000;

/**
 * How long after its `failures`-th failed probe in a row an endpoint may be probed again:
 * 5 s, doubling per failure, capped at 5 min. A process that started before its instance role
 * was attached finds the role within the wait (at most 5 min); an unreachable IMDS (not on EC2)
 * costs at most one short probe per 5 min per process, never a storm.
 */
export function imdsProbeBackoffMs(failures: number): number {
  if (!Number.isInteger(failures) || failures < 1) return 0;
  return Math.min(imdsMaxRetryMs, imdsFirstRetryMs * 2 ** Math.min(failures - 1, 30));
}
