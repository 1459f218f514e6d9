/**
 * Redis names of fleet-wide admission, under the shared prefix's hash tag (`{prefix}`, one
 * cluster slot with the turn queue). One quota key is `<region>/<model or profile id>`.
 */
export function quotaKeys(prefix: string) {
  const tag = `{${prefix}}`;
  return {
    /** The budget's state hash; `quotaPart(key, part)` names its leases, waitlist and counters. */
    quota: (quotaKey: string) => `${tag}:quota:${quotaKey}`,
    quotaPart: (quotaKey: string, part: 'leases' | 'lease-need' | 'wait' | 'wait-need' | 'wait-seen' | 'throttles' | `day:${string}`) =>
      `${tag}:quota:${quotaKey}:${part}`,
    /** Set of every quota key seen (for `turnpool quotas`). */
    quotaKeys: `${tag}:quota-keys`,
  } as const;
}
