import type { TurnError } from '@turnpool/protocol';
import type { CompatTranslator } from './compat-translator.ts';

/** A request of either face translated into a turnpool turn request. */
export interface CompatTurn {
  /** The turnpool turn request (validated by the turn client when submitted). */
  request: Record<string, unknown>;
  /** Where each turnpool block came from (`messages[3].content[1]`), to name fields in errors. */
  origins: string[][];
  /** Turnpool field prefixes → this request's field names, for errors. */
  fieldNames: Record<string, string>;
  stream: boolean;
  /** The model as the client named it (echoed in answers until the turn says which model ran). */
  model: string | undefined;
}

/** What differs between the OpenAI and the Anthropic face; the turn plumbing is shared. */
export interface CompatDialect {
  /** `openai` / `anthropic`: for metrics labels and messages. */
  name: string;
  /** Status and body in this API's error shape; `retryable` feeds `x-should-retry`. */
  toError(err: unknown): { status: number; body: unknown; retryable: boolean };
  /** The frame that ends a stream that broke after its headers were sent (e.g. Redis lost). */
  failureFrame(err: TurnError): string;
  /** A translator for one answer (`id` = this API's id of the turn). */
  translator(meta: { id: string; created: number; model: string; includeUsage: boolean }): CompatTranslator;
}
