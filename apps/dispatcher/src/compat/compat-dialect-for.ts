import { anthropicDialect } from './anthropic/anthropic-dialect.ts';
import type { CompatDialect } from './compat-dialect.ts';
import { openAiDialect } from './openai/openai-dialect.ts';

/** The compat face serving `path` (`/openai/…`, `/anthropic/…`), or `undefined` for turnpool's own API. */
export function compatDialectFor(path: string): CompatDialect | undefined {
  if (path === '/openai' || path.startsWith('/openai/')) return openAiDialect;
  if (path === '/anthropic' || path.startsWith('/anthropic/')) return anthropicDialect;
  return undefined;
}
