import { invalidField } from './invalid-field.ts';

/** A plain JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as an object, else a 400 naming `field`. */
export function readObject(v: unknown, field: string): Record<string, unknown> {
  if (!isRecord(v)) throw invalidField(field, 'expected an object');
  return v;
}

/** `v` as an array, else a 400 naming `field`. */
export function readArray(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw invalidField(field, 'expected an array');
  return v;
}

/** `v` as a string, else a 400 naming `field`. */
export function readString(v: unknown, field: string): string {
  if (typeof v !== 'string') throw invalidField(field, 'expected a string');
  return v;
}

/** `v` as a finite number (or `undefined` when absent / null), else a 400 naming `field`. */
export function readOptionalNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidField(field, 'expected a number');
  return v;
}

/** `v` as an integer ≥ 1 (or `undefined` when absent / null), else a 400 naming `field`. */
export function readOptionalPositiveInt(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalidField(field, 'expected an integer >= 1');
  return v;
}

/** `v` as a boolean (or `undefined` when absent / null), else a 400 naming `field`. */
export function readOptionalBoolean(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidField(field, 'expected true or false');
  return v;
}

/** Refuses keys of `obj` outside `known`, naming the first one (`metadata.session`, `[""]` for odd names). */
export function rejectUnknownKeys(obj: Record<string, unknown>, known: ReadonlySet<string>, path: string, hint = 'not supported'): void {
  for (const key of Object.keys(obj)) {
    if (known.has(key)) continue;
    const name = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key.slice(0, 64))}]`;
    throw invalidField(name, `unknown or unsupported field (${hint})`);
  }
}
