import type { Json5Node } from './parse-json5-tree.ts';

/** How a file writes JSON5, so inserted text looks like the rest. */
export interface Json5Style {
  /** One indentation step. @defaultValue two spaces */
  unit: string;
  /** Quote for strings and keys that need one. @defaultValue '"' */
  quote: '"' | "'";
  /** Quote every key (the file looks like plain JSON). @defaultValue false */
  quoteKeys: boolean;
  /** Put a comma after the last member of multi-line objects and arrays. @defaultValue false */
  trailingComma: boolean;
}

export const defaultJson5Style: Json5Style = { unit: '  ', quote: '"', quoteKeys: false, trailingComma: false };

/** Reads indentation, quote, key-quoting and trailing-comma habits off an existing file. */
export function detectJson5Style(text: string, tree: Json5Node | undefined): Json5Style {
  const style = { ...defaultJson5Style };
  const indents = [...text.matchAll(/\n([ \t]+)\S/g)].map((m) => m[1] as string);
  if (indents.some((i) => i.startsWith('\t'))) style.unit = '\t';
  else if (indents.length > 0) style.unit = ' '.repeat(Math.min(...indents.map((i) => i.length)));
  if (tree === undefined) return style;
  let single = 0;
  let double = 0;
  let keys = 0;
  let quotedKeys = 0;
  let multiline = 0;
  let trailing = 0;
  const visit = (node: Json5Node): void => {
    if (node.kind === 'scalar') {
      if (text[node.start] === "'") single += 1;
      if (text[node.start] === '"') double += 1;
      return;
    }
    const members = node.kind === 'object' ? node.entries : node.items;
    if (members.length > 0 && text.slice(node.start, node.end).includes('\n')) {
      multiline += 1;
      if (members[members.length - 1]?.commaEnd !== undefined) trailing += 1;
    }
    if (node.kind === 'object') {
      for (const e of node.entries) {
        keys += 1;
        const q = text[e.keyStart];
        if (q === '"' || q === "'") {
          quotedKeys += 1;
          if (q === "'") single += 1;
          else double += 1;
        }
        visit(e.value);
      }
    } else {
      for (const item of node.items) visit(item.value);
    }
  };
  visit(tree);
  style.quote = single > double ? "'" : '"';
  style.quoteKeys = keys > 0 && quotedKeys === keys;
  style.trailingComma = multiline > 0 && trailing * 2 >= multiline;
  return style;
}
