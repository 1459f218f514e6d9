import { TurnError, type ResolvedModel, type TurnRequest } from '@turnpool/protocol';

/** Refuses images or documents sent to a model that does not accept them, naming the first such block. */
export function checkModelInput(request: TurnRequest, model: ResolvedModel): void {
  request.messages.forEach((message, m) => {
    message.content.forEach((block, b) => {
      const kinds: [string, 'image' | 'document'][] = [];
      if ('image' in block) kinds.push(['image', 'image']);
      if ('document' in block) kinds.push(['document', 'document']);
      if ('toolResult' in block) {
        block.toolResult.content.forEach((c, i) => {
          if ('image' in c && !model.input.includes('image')) {
            throw new TurnError('unsupported_input', `Model ${model.ref} does not accept image input.`,
              { field: `messages[${m}].content[${b}].toolResult.content[${i}].image` });
          }
        });
      }
      for (const [key, kind] of kinds) {
        if (!model.input.includes(kind)) {
          throw new TurnError('unsupported_input', `Model ${model.ref} does not accept ${kind} input.`, { field: `messages[${m}].content[${b}].${key}` });
        }
      }
    });
  });
}
