import type { ContentBlock, ToolUseBlock } from '@turnpool/protocol';

/** What the mapper keeps of one content block while the stream runs. */
export interface StreamBlock {
  kind: 'text' | 'reasoning' | 'toolUse' | 'other';
  text: string;
  signature: string | undefined;
  redacted: Uint8Array[];
  toolUseId: string;
  name: string;
  json: string;
  open: boolean;
}

/** A fresh block of `kind`. */
export function newStreamBlock(kind: StreamBlock['kind']): StreamBlock {
  return { kind, text: '', signature: undefined, redacted: [], toolUseId: '', name: '', json: '', open: true };
}

/**
 * Turns the collected blocks into the final assistant message's content, in index order,
 * in the request's content-block shape: tool inputs parsed (`""` -> `{}`; input that is not a
 * JSON object, e.g. cut off by max_tokens, -> `{}`), redacted reasoning as base64.
 */
export function assembleContent(blocks: ReadonlyMap<number, StreamBlock>): ContentBlock[] {
  const content: ContentBlock[] = [];
  for (const index of [...blocks.keys()].sort((a, b) => a - b)) {
    const b = blocks.get(index) as StreamBlock;
    if (b.kind === 'text' && b.text !== '') content.push({ text: b.text });
    if (b.kind === 'reasoning') {
      if (b.text !== '' || b.signature !== undefined) {
        content.push({ reasoning: b.signature === undefined ? { text: b.text } : { text: b.text, signature: b.signature } });
      }
      if (b.redacted.length > 0) content.push({ reasoning: { redacted: Buffer.concat(b.redacted).toString('base64') } });
    }
    if (b.kind === 'toolUse') content.push({ toolUse: { toolUseId: b.toolUseId, name: b.name, input: parseToolInput(b.json) } });
  }
  return content;
}

function parseToolInput(json: string): ToolUseBlock['input'] {
  if (json.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ToolUseBlock['input']) : {};
  } catch {
    return {};
  }
}
