/**
 * Nesting depth of a JSON-like value (a scalar is 0, `{}` and `[]` are 1, `{a: {}}` is 2),
 * computed without recursion. Stops counting once `stopAbove` is passed, so cycles and
 * hostile nesting end quickly.
 */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > stopAbove) return max;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) stack.push([child, d]);
  }
  return max;
}
