import { randomBytes } from 'node:crypto';

/** A key prefix / queue name no other test (or parallel run) uses: `t-<label>-<random>`. */
export function uniquePrefix(label = 'test'): string {
  return `t-${label.replace(/[^a-zA-Z0-9-]/g, '-')}-${randomBytes(5).toString('hex')}`;
}
