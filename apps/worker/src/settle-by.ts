/** How a step ended: finished, still waiting at the deadline, or failed with an error. */
export type StepOutcome = 'done' | 'late' | Error;

/**
 * Waits for `fn()` until `deadline` (epoch ms) and says how it ended; a step still waiting
 * then is left running (the caller forces it). Never throws.
 */
export async function settleBy(deadline: number, fn: () => Promise<unknown>): Promise<StepOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([fn().then(() => 'done' as const), late]);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    clearTimeout(timer);
  }
}
