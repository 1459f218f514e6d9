import { describe, expect, it } from 'vitest';
import { checkModelInput } from './check-model-input.ts';
import type { TurnRequest } from './turn-request-schema.ts';

const text: TurnRequest = { messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
const image: TurnRequest = { messages: [{ role: 'user', content: [{ text: 'see' }, { image: { format: 'png', data: 'AQID' } }] }] };
const toolImage: TurnRequest = {
  messages: [
    { role: 'user', content: [{ text: 'go' }] },
    { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'shot', input: {} } }] },
    { role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ image: { format: 'png', data: 'AQID' } }] } }] },
  ],
};
const doc: TurnRequest = { messages: [{ role: 'user', content: [{ document: { format: 'txt', name: 'a', text: 'x' } }] }] };

describe('checkModelInput', () => {
  const textOnly = { ref: 'amazon-bedrock/amazon.titan-text-express-v1', input: ['text' as const] };
  it('accepts text for any model and images for image models', () => {
    expect(checkModelInput(text, textOnly)).toBeUndefined();
    expect(checkModelInput(image, { ...textOnly, input: ['text', 'image'] })).toBeUndefined();
  });
  it('refuses an image (also inside a tool result) or a document for a model without that input, naming the block', () => {
    const e = checkModelInput(image, textOnly);
    expect({ code: e?.code, field: e?.field, status: e?.status }).toEqual({
      code: 'unsupported_input',
      field: 'messages[0].content[1]',
      status: 422,
    });
    expect(e?.message).toContain('image');
    expect(checkModelInput(toolImage, textOnly)?.field).toBe('messages[2].content[0]');
    expect(checkModelInput(doc, { ...textOnly, input: ['text', 'image'] })?.message).toContain('document');
  });
});
