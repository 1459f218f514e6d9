import { sharedSettings } from '@turnpool/config';
import type { StackContext } from './open-stack.ts';
import type { StackPart } from './stack-part.ts';

/** What the stop allows past the grace period, for the parts' own deadlines to report. */
const reportMarginMs = 1_000;

/**
 * Closes the parts in order, then the stack, within the grace period whatever state Redis is
 * in: the worker host keeps to it by itself; anything still closing a second after it is given
 * up. Undefined for a clean stop, else one line naming what each part gave up (the process
 * then exits 1; the CLI entry ends it even if a library still retries in the background).
 */
export async function stopStack(parts: readonly StackPart[], stack: StackContext | undefined): Promise<string | undefined> {
  // A stack that never opened has no config: `shutdown.graceMs`'s default then.
  const graceMs = stack?.config.shutdown.graceMs ?? sharedSettings.shutdownGraceMs.default;
  const problems: string[] = [];
  const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  const closing = (async () => {
    for (const part of parts) await part.close().catch((err: unknown) => problems.push(`${part.name}: ${reason(err)}`));
    await stack?.close().catch((err: unknown) => problems.push(`config, Redis and catalog: ${reason(err)}`));
  })();
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    closing.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs + reportMarginMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) problems.push(`still closing ${(graceMs + reportMarginMs) / 1000} s after the stop began: gave up`);
  return problems.length === 0 ? undefined : `stopped without closing cleanly: ${problems.join('; ')}`;
}
