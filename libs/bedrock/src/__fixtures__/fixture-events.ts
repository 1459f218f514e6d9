import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads `<name>.json` from this folder, parsed. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, `${name}.json`), 'utf8'));
}

/**
 * Turns a recorded fixture (JSON array of SDK-shaped `ConverseStreamOutput` events) into
 * what the SDK yields: `{"$bytes": "<base64>"}` becomes a `Uint8Array`, as the SDK decodes blobs.
 */
export function fixtureEvents(json: unknown): ConverseStreamOutput[] {
  return revive(json) as ConverseStreamOutput[];
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$bytes' && typeof record['$bytes'] === 'string') {
    return new Uint8Array(Buffer.from(record['$bytes'], 'base64'));
  }
  return Object.fromEntries(keys.map((k) => [k, revive(record[k])]));
}

/** Yields the events one by one, like the SDK's stream. */
export async function* streamOf<T>(events: readonly T[]): AsyncGenerator<T> {
  for (const e of events) yield e;
}
