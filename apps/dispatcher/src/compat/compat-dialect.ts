import type { TurnError } from '@turnpool/protocol';
import type { CompatTranslator } from './compat-translator.ts';

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
