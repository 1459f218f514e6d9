import type { CompatDialect } from '../compat-dialect.ts';
import { sseFrame } from '../sse-frame.ts';
import { openAiErrorBody, toOpenAiError } from './openai-error.ts';
import { createOpenAiTranslator } from './openai-translator.ts';

/** The OpenAI Chat Completions face's error shape and stream format. */
export const openAiDialect: CompatDialect = {
  name: 'openai',
  toError: toOpenAiError,
  failureFrame: (err) => sseFrame(undefined, openAiErrorBody(err.toJSON(), err.status)),
  translator: (meta) => createOpenAiTranslator(meta),
};
