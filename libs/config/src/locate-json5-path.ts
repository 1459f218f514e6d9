import type { Json5Entry, Json5Node } from './parse-json5-tree.ts';

/** Where a key path lands in a {@link parseJson5Tree} tree. */
export interface Json5Location {
  /** How many leading segments were found. Equal to `segments.length` when the whole path exists. */
  matched: number;
  /** The node of the deepest segment found (the root when none was). */
  node: Json5Node;
  /** The entry of the deepest object key found, if the deepest segment was a key. */
  entry?: Json5Entry;
  /** Offset to report: the deepest key's start, an array item's start, or the root's start. */
  offset: number;
}

/**
 * Walks `segments` down the tree as far as they exist. A key that occurs twice resolves to
 * its last occurrence, as JSON5.parse does.
 */
export function locateJson5Path(root: Json5Node, segments: readonly PropertyKey[]): Json5Location {
  let loc: Json5Location = { matched: 0, node: root, offset: root.start };
  for (const segment of segments) {
    const node = loc.node;
    if (node.kind === 'object' && typeof segment === 'string') {
      const entry = findLastEntry(node.entries, segment);
      if (!entry) break;
      loc = { matched: loc.matched + 1, node: entry.value, entry, offset: entry.keyStart };
    } else if (node.kind === 'array' && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      loc = { matched: loc.matched + 1, node: item.value, offset: item.value.start };
    } else {
      break;
    }
  }
  return loc;
}

function findLastEntry(entries: readonly Json5Entry[], key: string): Json5Entry | undefined {
  for (let i = entries.length - 1; i >= 0; i -= 1) if (entries[i]?.key === key) return entries[i];
  return undefined;
}

/** 1-based line number of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}
