import type { ConverseRequestJson } from './response-plan.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The last message with role "user", if any. */
export function lastUserMessage(req: ConverseRequestJson): Record<string, unknown> | undefined {
  const msgs = Array.isArray(req.messages) ? (req.messages as unknown[]) : [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (isObj(m) && m['role'] === 'user') return m;
  }
  return undefined;
}

/** The text blocks of the last user message, joined with newlines (where directives live). */
export function lastUserText(req: ConverseRequestJson): string {
  const content = lastUserMessage(req)?.['content'];
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObj)
    .map((b) => b['text'])
    .filter((t): t is string => typeof t === 'string')
    .join('\n');
}

/** Estimated input tokens: 1 per 4 characters of text/JSON, 1000 per image/document/video, at least 1. */
export function estimateInputTokens(req: ConverseRequestJson): number {
  let chars = 0;
  let media = 0;
  const visit = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') chars += v.length;
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'image' || k === 'document' || k === 'video' || k === 'audio') && isObj(x)) media++;
        else if (k !== 'bytes') visit(x, depth + 1);
      }
    }
  };
  visit(req.system, 0);
  visit(req.messages, 0);
  if (isObj(req.toolConfig)) chars += JSON.stringify(req.toolConfig['tools'] ?? []).length;
  return Math.max(1, Math.ceil(chars / 4) + media * 1000);
}
