import type { CompatTurn } from '../compat-dialect.ts';
import { createConversationBuilder, type DraftBlock } from '../conversation-builder.ts';
import { invalidField } from '../invalid-field.ts';
import { documentName } from '../document-name.ts';
import { imageFormatOf } from '../parse-data-url.ts';
import {
  readArray,
  readObject,
  readOptionalBoolean,
  readOptionalNumber,
  readOptionalPositiveInt,
  readString,
  rejectUnknownKeys,
} from '../read-field.ts';

/** A Messages request translated into a turnpool turn request. */
export type AnthropicTurn = CompatTurn;

const knownFields = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'stream',
  'stop_sequences',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'thinking',
  'metadata',
  'service_tier',
]);

const documentFormats: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'text/markdown': 'md',
};

/**
 * Translates an Anthropic Messages request body (or a `count_tokens` body, `forCount`) into a
 * turnpool turn request. Throws a `TurnError` (`invalid_request`) naming the field in
 * Anthropic's terms; what turnpool's own schema refuses later is renamed through `origins`.
 */
export function anthropicToTurnRequest(input: unknown, opts: { forCount?: boolean } = {}): AnthropicTurn {
  const body = readObject(input, 'body');
  rejectUnknownKeys(body, knownFields, '', 'see docs/compat.md for the supported fields');
  const request: Record<string, unknown> = {};
  if (body['model'] !== undefined) request['model'] = readString(body['model'], 'model');
  else throw invalidField('model', 'is required');
  let promptCache = false;
  const cached = (b: Record<string, unknown>) => {
    if (b['cache_control'] !== undefined && b['cache_control'] !== null) promptCache = true;
  };

  const system = body['system'];
  if (system !== undefined && system !== null) {
    if (typeof system === 'string') {
      if (system !== '') request['system'] = system;
    } else {
      const blocks = readArray(system, 'system').map((b, k) => {
        const block = readObject(b, `system[${k}]`);
        if (block['type'] !== 'text') throw invalidField(`system[${k}].type`, 'expected "text"');
        cached(block);
        return { text: readString(block['text'], `system[${k}].text`), ...(block['cache_control'] ? { cachePoint: true } : {}) };
      });
      if (blocks.length > 0) request['system'] = blocks;
    }
  }

  const builder = createConversationBuilder();
  const messages = readArray(body['messages'], 'messages');
  if (messages.length === 0) throw invalidField('messages', 'at least one message is required');
  for (const [i, raw] of messages.entries()) {
    const path = `messages[${i}]`;
    const m = readObject(raw, path);
    const role = m['role'];
    if (role !== 'user' && role !== 'assistant') throw invalidField(`${path}.role`, 'expected "user" or "assistant"');
    const content = m['content'];
    if (typeof content === 'string') {
      builder.add(role, { text: content }, `${path}.content`);
      continue;
    }
    for (const [j, b] of readArray(content, `${path}.content`).entries()) {
      const at = `${path}.content[${j}]`;
      const block = readObject(b, at);
      cached(block);
      builder.add(role, blockOf(block, at), at);
    }
  }
  const conversation = builder.build();
  request['messages'] = conversation.messages;

  const inference: Record<string, unknown> = {};
  const maxTokens = readOptionalPositiveInt(body['max_tokens'], 'max_tokens');
  if (maxTokens === undefined && !opts.forCount) throw invalidField('max_tokens', 'is required');
  if (maxTokens !== undefined) inference['maxTokens'] = maxTokens;
  const temperature = readOptionalNumber(body['temperature'], 'temperature');
  if (temperature !== undefined) inference['temperature'] = temperature;
  const topP = readOptionalNumber(body['top_p'], 'top_p');
  if (topP !== undefined) inference['topP'] = topP;
  if (body['stop_sequences'] !== undefined && body['stop_sequences'] !== null) {
    const list = readArray(body['stop_sequences'], 'stop_sequences').map((s, k) => readString(s, `stop_sequences[${k}]`));
    if (list.length > 0) inference['stopSequences'] = list;
  }
  if (Object.keys(inference).length > 0) request['inferenceConfig'] = inference;

  let keepTools = true;
  const choice = body['tool_choice'];
  if (choice !== undefined && choice !== null) {
    const c = readObject(choice, 'tool_choice');
    if (c['type'] === 'auto') request['toolChoice'] = 'auto';
    else if (c['type'] === 'any') request['toolChoice'] = 'any';
    else if (c['type'] === 'tool') request['toolChoice'] = { tool: readString(c['name'], 'tool_choice.name') };
    else if (c['type'] === 'none')
      keepTools = conversation.messages.some((msg) => msg.content.some((b) => 'toolUse' in b || 'toolResult' in b));
    else throw invalidField('tool_choice.type', 'expected "auto", "any", "tool" or "none"');
  }
  if (body['tools'] !== undefined && body['tools'] !== null && keepTools) {
    const tools = readArray(body['tools'], 'tools').map((t, k) => {
      const tool = readObject(t, `tools[${k}]`);
      if (tool['type'] !== undefined && tool['type'] !== null && tool['type'] !== 'custom') {
        throw invalidField(
          `tools[${k}].type`,
          "only custom tools (name, description, input_schema) are supported; server tools run on Anthropic's side",
        );
      }
      cached(tool);
      const out: Record<string, unknown> = {
        name: readString(tool['name'], `tools[${k}].name`),
        inputSchema: readObject(tool['input_schema'], `tools[${k}].input_schema`),
      };
      if (typeof tool['description'] === 'string' && tool['description'] !== '') out['description'] = tool['description'];
      return out;
    });
    if (tools.length > 0) request['tools'] = tools;
    else delete request['toolChoice'];
  } else if (!keepTools) delete request['toolChoice'];

  const thinking = body['thinking'];
  if (thinking !== undefined && thinking !== null) {
    const t = readObject(thinking, 'thinking');
    if (t['type'] === 'enabled')
      request['reasoning'] = { budgetTokens: readOptionalPositiveInt(t['budget_tokens'], 'thinking.budget_tokens') ?? 1024 };
    else if (t['type'] === 'adaptive') request['reasoning'] = { effort: 'medium' };
    else if (t['type'] !== 'disabled') throw invalidField('thinking.type', 'expected "enabled", "adaptive" or "disabled"');
  }
  if (body['metadata'] !== undefined && body['metadata'] !== null) {
    const md = readObject(body['metadata'], 'metadata');
    rejectUnknownKeys(md, new Set(['user_id']), 'metadata');
    if (md['user_id'] !== undefined && md['user_id'] !== null)
      request['metadata'] = { user_id: readString(md['user_id'], 'metadata.user_id') };
  }
  if (promptCache) request['promptCache'] = true;
  return {
    request,
    origins: conversation.origins,
    fieldNames: {
      model: 'model',
      'inferenceConfig.maxTokens': 'max_tokens',
      'inferenceConfig.temperature': 'temperature',
      'inferenceConfig.topP': 'top_p',
      'inferenceConfig.stopSequences': 'stop_sequences',
      tools: 'tools',
      toolChoice: 'tool_choice',
      reasoning: 'thinking',
      metadata: 'metadata',
      system: 'system',
    },
    stream: readOptionalBoolean(body['stream'], 'stream') ?? false,
    model: request['model'] as string,
  };
}

function blockOf(block: Record<string, unknown>, at: string): DraftBlock {
  switch (block['type']) {
    case 'text':
      return { text: readString(block['text'], `${at}.text`) };
    case 'image': {
      const source = readObject(block['source'], `${at}.source`);
      if (source['type'] !== 'base64')
        throw invalidField(`${at}.source.type`, 'only "base64" image sources are supported; turnpool does not fetch URLs');
      return {
        image: {
          format: imageFormatOf(readString(source['media_type'], `${at}.source.media_type`), `${at}.source.media_type`),
          data: readString(source['data'], `${at}.source.data`),
        },
      };
    }
    case 'document': {
      const source = readObject(block['source'], `${at}.source`);
      const name = documentName(typeof block['title'] === 'string' ? block['title'] : 'document');
      if (source['type'] === 'text') return { document: { format: 'txt', name, text: readString(source['data'], `${at}.source.data`) } };
      if (source['type'] !== 'base64') throw invalidField(`${at}.source.type`, 'expected "base64" or "text"; turnpool does not fetch URLs');
      const mediaType = readString(source['media_type'], `${at}.source.media_type`);
      const format = documentFormats[mediaType];
      if (!format) throw invalidField(`${at}.source.media_type`, `expected one of ${Object.keys(documentFormats).join(', ')}`);
      return { document: { format, name, data: readString(source['data'], `${at}.source.data`) } };
    }
    case 'tool_use':
      return {
        toolUse: {
          toolUseId: readString(block['id'], `${at}.id`),
          name: readString(block['name'], `${at}.name`),
          input: readObject(block['input'], `${at}.input`),
        },
      };
    case 'tool_result': {
      const content = block['content'];
      const items =
        content === undefined || content === null
          ? []
          : typeof content === 'string'
            ? [{ text: content }]
            : readArray(content, `${at}.content`).map((c, k) => {
                const item = readObject(c, `${at}.content[${k}]`);
                if (item['type'] === 'text') return { text: readString(item['text'], `${at}.content[${k}].text`) };
                if (item['type'] === 'image') {
                  const image = blockOf(item, `${at}.content[${k}]`);
                  return image;
                }
                throw invalidField(`${at}.content[${k}].type`, 'expected "text" or "image"');
              });
      const isError = readOptionalBoolean(block['is_error'], `${at}.is_error`);
      return {
        toolResult: {
          toolUseId: readString(block['tool_use_id'], `${at}.tool_use_id`),
          content: items.filter((x) => !('text' in x) || x.text !== ''),
          status: isError ? 'error' : 'success',
        },
      };
    }
    case 'thinking': {
      const signature = block['signature'];
      return {
        reasoning: {
          text: readString(block['thinking'], `${at}.thinking`),
          ...(typeof signature === 'string' && signature !== '' ? { signature } : {}),
        },
      };
    }
    case 'redacted_thinking':
      return { reasoning: { redacted: readString(block['data'], `${at}.data`) } };
    default:
      throw invalidField(
        `${at}.type`,
        'expected one of "text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"',
      );
  }
}
