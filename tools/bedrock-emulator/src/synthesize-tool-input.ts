const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The tool call a model "must" make when `toolChoice` is `any` (first tool) or `tool` (that tool) and no
 * `[[tool]]` directive is given. Input = the schema's required properties with placeholder values.
 */
export function synthesizeToolInput(toolConfig: unknown): { name: string; input: unknown }[] {
  if (!isObj(toolConfig) || !isObj(toolConfig['toolChoice']) || !Array.isArray(toolConfig['tools'])) return [];
  const choice = toolConfig['toolChoice'];
  const specs = toolConfig['tools']
    .filter(isObj)
    .map((t) => t['toolSpec'])
    .filter(isObj);
  const wanted = isObj(choice['tool']) ? choice['tool']['name'] : isObj(choice['any']) ? specs[0]?.['name'] : undefined;
  const spec = specs.find((s) => s['name'] === wanted);
  if (spec === undefined || typeof spec['name'] !== 'string') return [];
  const schema = isObj(spec['inputSchema']) && isObj(spec['inputSchema']['json']) ? spec['inputSchema']['json'] : {};
  const props = isObj(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : [];
  const input: Record<string, unknown> = {};
  for (const key of required.slice(0, 100)) {
    const p = props[key];
    const type = isObj(p) ? p['type'] : undefined;
    const value =
      type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : type === 'array' ? [] : type === 'object' ? {} : 'example';
    Object.defineProperty(input, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return [{ name: spec['name'], input }];
}
