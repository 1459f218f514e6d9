import type { TurnRequest } from './turn-request-schema.ts';

/** Tokens counted for one image, document or video: a typical page or picture. */
const mediaTokens = 1600;

/**
 * A quick estimate of the input tokens Bedrock will count for a request, before calling it:
 * about four characters of text per token (tool specs included), a fixed amount per media block
 * (their bytes are not text). Admission reserves it with `maxTokens`, and the settle at the end
 * corrects it to the real count, so the estimate only has to be close, not exact.
 */
export function estimateInputTokens(request: Pick<TurnRequest, 'messages' | 'system' | 'tools'>): number {
  let chars = 0;
  let media = 0;
  const visit = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') chars += v.length;
    else if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'image' || k === 'document' || k === 'video') media++;
        else if (k !== 'bytes') visit(x, depth + 1);
      }
    }
  };
  visit(request.system, 0);
  visit(request.messages, 0);
  visit(request.tools, 0);
  return Math.max(1, Math.ceil(chars / 4) + media * mediaTokens);
}
