import type {
  ContentBlock as BedrockContentBlock,
  ToolResultContentBlock as BedrockToolResultContent,
} from '@aws-sdk/client-bedrock-runtime';
import type { ContentBlock, ToolResultContent } from '@turnpool/protocol';
import { base64ToBytes } from './bytes.ts';

/** How reasoning blocks of the history are replayed. */
export interface ReasoningReplay {
  /** Anthropic models take signed reasoning back verbatim; every other model gets none. */
  anthropic: boolean;
}

/**
 * Maps one request content block to Bedrock's shape, or `undefined` to drop it:
 * - signed reasoning -> `reasoningContent.reasoningText {text, signature}`, verbatim;
 * - unsigned reasoning -> plain text (dropped when blank);
 * - redacted reasoning -> `reasoningContent.redactedContent` bytes;
 * - every reasoning block is dropped for non-Anthropic models (they reject foreign signatures);
 * - image / document base64 -> bytes.
 */
export function toBedrockContent(block: ContentBlock, replay: ReasoningReplay): BedrockContentBlock | undefined {
  if ('text' in block) return { text: block.text };
  if ('image' in block) return { image: { format: block.image.format, source: { bytes: base64ToBytes(block.image.data) } } };
  if ('document' in block) {
    const { format, name, data, text } = block.document;
    return { document: { format, name, source: data !== undefined ? { bytes: base64ToBytes(data) } : { text: text ?? '' } } };
  }
  if ('toolUse' in block) {
    const { toolUseId, name, input } = block.toolUse;
    return { toolUse: { toolUseId, name, input } };
  }
  if ('toolResult' in block) {
    const { toolUseId, content, status } = block.toolResult;
    return { toolResult: { toolUseId, content: content.map(toBedrockToolResultContent), ...(status ? { status } : {}) } };
  }
  if (!replay.anthropic) return undefined;
  const reasoning = block.reasoning;
  if ('redacted' in reasoning) return { reasoningContent: { redactedContent: base64ToBytes(reasoning.redacted) } };
  if (reasoning.signature !== undefined) {
    return { reasoningContent: { reasoningText: { text: reasoning.text, signature: reasoning.signature } } };
  }
  return reasoning.text.trim() === '' ? undefined : { text: reasoning.text };
}

function toBedrockToolResultContent(item: ToolResultContent): BedrockToolResultContent {
  if ('text' in item) return { text: item.text };
  if ('json' in item) return { json: item.json };
  return { image: { format: item.image.format, source: { bytes: base64ToBytes(item.image.data) } } };
}
