import { z } from 'zod';

/** Peels optional/default/prefault/nullable/pipe wrappers; returns the first description met and the core schema. */
function unwrapSchema(schema: z.ZodType): { core: z.ZodType; description?: string } {
  let s: z.ZodType = schema;
  let description = s.description;
  for (let i = 0; i < 20; i += 1) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else {
      break;
    }
    description ??= s.description;
  }
  return description === undefined ? { core: s } : { core: s, description };
}

/** The schema that validates the value at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const segment of path) {
    if (s === undefined) return undefined;
    const { core } = unwrapSchema(s);
    if (core instanceof z.ZodObject && typeof segment === 'string') {
      s = Object.hasOwn(core.shape, segment) ? (core.shape as Record<string, z.ZodType>)[segment] : undefined;
    } else if (core instanceof z.ZodRecord && typeof segment === 'string') {
      s = core.valueType as z.ZodType;
    } else if (core instanceof z.ZodArray && typeof segment === 'number') {
      s = core.element as z.ZodType;
    } else {
      return undefined;
    }
  }
  return s;
}

/** The keys an object schema at `path` accepts (for "unknown key" errors). */
export function allowedKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  if (s === undefined) return [];
  const { core } = unwrapSchema(s);
  return core instanceof z.ZodObject ? Object.keys(core.shape).filter((k) => k !== 'apiKey') : [];
}

/** A short human description of what `schema` accepts, e.g. `milliseconds, an integer from 1000 to 600000`. */
export function describeAllowed(schema: z.ZodType | undefined): string | undefined {
  if (schema === undefined) return undefined;
  const { core, description } = unwrapSchema(schema);
  if (description !== undefined) return description;
  if (core instanceof z.ZodLiteral) return [...core.values].map((v) => JSON.stringify(v)).join(' or ');
  if (core instanceof z.ZodEnum) return `one of ${core.options.map((v) => JSON.stringify(v)).join(', ')}`;
  if (core instanceof z.ZodBoolean) return 'true or false';
  if (core instanceof z.ZodString) return 'a string';
  if (core instanceof z.ZodNumber) {
    const lo = core.minValue;
    const hi = core.maxValue;
    const range = [lo !== null && Number.isFinite(lo) ? `>= ${lo}` : '', hi !== null && Number.isFinite(hi) ? `<= ${hi}` : '']
      .filter(Boolean)
      .join(' and ');
    return `a number${range ? ` ${range}` : ''}`;
  }
  if (core instanceof z.ZodArray) {
    const inner = describeAllowed(core.element as z.ZodType);
    return inner === undefined ? 'a list' : `a list of: ${inner}`;
  }
  if (core instanceof z.ZodObject)
    return `an object with keys ${Object.keys(core.shape)
      .filter((k) => k !== 'apiKey')
      .join(', ')}`;
  return undefined;
}
