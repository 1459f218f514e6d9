import type { ResolvedModel } from './resolved-model.ts';
import { TurnError } from './turn-error.ts';
import type { TurnRequest } from './turn-request-schema.ts';

/**
 * Checks that the model accepts every kind of input in the request: images (in messages or
 * tool results) need `'image'` in `model.input`, documents need `'document'`. Returns an
 * `unsupported_input` `TurnError` naming the first offending block, or `undefined`.
 */
export function checkModelInput(request: TurnRequest, model: Pick<ResolvedModel, 'input' | 'ref'>): TurnError | undefined {
  const accepts = new Set<string>(model.input);
  for (const [i, message] of request.messages.entries()) {
    for (const [j, block] of message.content.entries()) {
      const hasImage = 'image' in block || ('toolResult' in block && block.toolResult.content.some((c) => 'image' in c));
      const kind = hasImage ? 'image' : 'document' in block ? 'document' : undefined;
      if (kind !== undefined && !accepts.has(kind)) {
        const field = `messages[${i}].content[${j}]`;
        return new TurnError(
          'unsupported_input',
          `${field}: the model ${model.ref} does not accept ${kind} input (it accepts: ${[...accepts].join(', ') || 'nothing'}).`,
          { field },
        );
      }
    }
  }
  return undefined;
}
