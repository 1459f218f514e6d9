import type { CompatDialect } from '../compat-dialect.ts';
import { sseFrame } from '../sse-frame.ts';
import { anthropicErrorBody, toAnthropicError } from './anthropic-error.ts';
import { createAnthropicTranslator } from './anthropic-translator.ts';

/** The Anthropic Messages face's error shape and stream format. */
export const anthropicDialect: CompatDialect = {
  name: 'anthropic',
  toError: toAnthropicError,
  failureFrame: (err) => sseFrame(undefined, anthropicErrorBody(err.toJSON(), err.status), 'error'),
  translator: (meta) => createAnthropicTranslator(meta),
};
