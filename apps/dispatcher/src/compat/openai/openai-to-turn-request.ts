import type { CompatTurn } from '../compat-dialect.ts';
import { createConversationBuilder, type DraftBlock } from '../conversation-builder.ts';
import { documentName } from '../document-name.ts';
import { invalidField } from '../invalid-field.ts';
import { imageFormatOf, parseDataUrl } from '../parse-data-url.ts';
import {
  isRecord,
  readArray,
  readObject,
  readOptionalBoolean,
  readOptionalNumber,
  readOptionalPositiveInt,
  readString,
  rejectUnknownKeys,
} from '../read-field.ts';

/** A Chat Completions request translated into a turnpool turn request. */
export interface OpenAiTurn extends CompatTurn {
  /** `stream_options.include_usage`: a last chunk with `usage` and no choices. */
  includeUsage: boolean;
}

const knownFields = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'user',
  'metadata',
  'n',
  'store',
  'seed',
  'service_tier',
  'logprobs',
  'response_format',
  'frequency_penalty',
  'presence_penalty',
]);

const effortOf: Record<string, 'low' | 'medium' | 'high' | undefined> = {
  none: undefined,
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
};

/**
 * Translates an OpenAI Chat Completions request body into a turnpool turn request. Throws a
 * `TurnError` (`invalid_request`) naming the field in OpenAI's terms for what cannot be
 * translated; what turnpool's own schema refuses later is renamed through `origins` / `fieldNames`.
 */
export function openAiToTurnRequest(input: unknown): OpenAiTurn {
  const body = readObject(input, 'body');
  rejectUnknownKeys(body, knownFields, '', 'see docs/compat.md for the supported fields');
  const request: Record<string, unknown> = {};
  const model = body['model'];
  if (model !== undefined && model !== null) request['model'] = readString(model, 'model');
  checkNeutral(body);

  const system: { text: string }[] = [];
  const builder = createConversationBuilder();
  let firstSystem: string | undefined;
  let hasToolBlocks = false;
  const messages = readArray(body['messages'], 'messages');
  if (messages.length === 0) throw invalidField('messages', 'at least one message is required');
  for (const [i, raw] of messages.entries()) {
    const path = `messages[${i}]`;
    const m = readObject(raw, path);
    const role = m['role'];
    if (role === 'system' || role === 'developer') {
      firstSystem ??= path;
      for (const text of textParts(m['content'], `${path}.content`)) if (text !== '') system.push({ text });
    } else if (role === 'user') {
      addUserContent(builder, m['content'], `${path}.content`);
    } else if (role === 'assistant') {
      for (const text of m['content'] === null || m['content'] === undefined ? [] : textParts(m['content'], `${path}.content`, true)) {
        if (text !== '') builder.add('assistant', { text }, `${path}.content`);
      }
      const calls = m['tool_calls'];
      if (calls !== undefined && calls !== null) {
        for (const [j, c] of readArray(calls, `${path}.tool_calls`).entries()) {
          builder.add('assistant', { toolUse: toolUseOf(c, `${path}.tool_calls[${j}]`) }, `${path}.tool_calls[${j}]`);
          hasToolBlocks = true;
        }
      }
    } else if (role === 'tool') {
      const id = readString(m['tool_call_id'], `${path}.tool_call_id`);
      const texts = textParts(m['content'], `${path}.content`).filter((t) => t !== '');
      builder.add('user', { toolResult: { toolUseId: id, content: texts.map((text) => ({ text })), status: 'success' } }, path);
      hasToolBlocks = true;
    } else {
      throw invalidField(
        `${path}.role`,
        `expected one of "system", "developer", "user", "assistant", "tool" (got ${JSON.stringify(role)?.slice(0, 40)})`,
      );
    }
  }
  const conversation = builder.build();
  if (conversation.messages.length === 0) throw invalidField('messages', 'at least one user message is required');
  request['messages'] = conversation.messages;
  if (system.length > 0) request['system'] = system;

  const maxField =
    body['max_completion_tokens'] !== undefined && body['max_completion_tokens'] !== null ? 'max_completion_tokens' : 'max_tokens';
  const inference: Record<string, unknown> = {};
  const maxTokens = readOptionalPositiveInt(body[maxField], maxField);
  if (maxTokens !== undefined) inference['maxTokens'] = maxTokens;
  const temperature = readOptionalNumber(body['temperature'], 'temperature');
  if (temperature !== undefined) {
    if (temperature < 0 || temperature > 2) throw invalidField('temperature', 'expected a number from 0 to 2');
    // OpenAI's range is 0-2, Bedrock's 0-1: above 1 is as random as the model goes.
    inference['temperature'] = Math.min(temperature, 1);
  }
  const topP = readOptionalNumber(body['top_p'], 'top_p');
  if (topP !== undefined) inference['topP'] = topP;
  const stop = body['stop'];
  if (stop !== undefined && stop !== null) {
    const list = typeof stop === 'string' ? [stop] : readArray(stop, 'stop').map((s, k) => readString(s, `stop[${k}]`));
    if (list.length > 0) inference['stopSequences'] = list;
  }
  if (Object.keys(inference).length > 0) request['inferenceConfig'] = inference;

  const tools = body['tools'];
  const choice = body['tool_choice'];
  let keepTools = true;
  if (choice !== undefined && choice !== null) {
    if (choice === 'none')
      keepTools = hasToolBlocks; // Bedrock needs the tool specs to read earlier tool calls
    else if (choice === 'auto') request['toolChoice'] = 'auto';
    else if (choice === 'required') request['toolChoice'] = 'any';
    else if (isRecord(choice) && choice['type'] === 'function' && isRecord(choice['function'])) {
      request['toolChoice'] = { tool: readString(choice['function']['name'], 'tool_choice.function.name') };
    } else throw invalidField('tool_choice', 'expected "none", "auto", "required" or {"type":"function","function":{"name":…}}');
  }
  if (tools !== undefined && tools !== null && keepTools) {
    const list = readArray(tools, 'tools').map((t, k) => toolOf(t, `tools[${k}]`));
    if (list.length > 0) request['tools'] = list;
    else delete request['toolChoice'];
  }

  const effort = body['reasoning_effort'];
  if (effort !== undefined && effort !== null) {
    if (typeof effort !== 'string' || !Object.hasOwn(effortOf, effort)) {
      throw invalidField('reasoning_effort', 'expected one of "none", "minimal", "low", "medium", "high", "xhigh"');
    }
    const level = effortOf[effort];
    if (level) request['reasoning'] = { effort: level };
  }

  const metadata: Record<string, unknown> = {};
  if (body['metadata'] !== undefined && body['metadata'] !== null) Object.assign(metadata, readObject(body['metadata'], 'metadata'));
  if (body['user'] !== undefined && body['user'] !== null) metadata['user'] = readString(body['user'], 'user');
  if (Object.keys(metadata).length > 0) request['metadata'] = metadata;

  const stream = readOptionalBoolean(body['stream'], 'stream') ?? false;
  let includeUsage = false;
  if (body['stream_options'] !== undefined && body['stream_options'] !== null) {
    const so = readObject(body['stream_options'], 'stream_options');
    includeUsage = readOptionalBoolean(so['include_usage'], 'stream_options.include_usage') ?? false;
  }
  return {
    request,
    origins: conversation.origins,
    fieldNames: {
      model: 'model',
      'inferenceConfig.maxTokens': maxField,
      'inferenceConfig.temperature': 'temperature',
      'inferenceConfig.topP': 'top_p',
      'inferenceConfig.stopSequences': 'stop',
      tools: 'tools',
      toolChoice: 'tool_choice',
      reasoning: 'reasoning_effort',
      'metadata.user': 'user',
      metadata: 'metadata',
      system: firstSystem ?? 'messages',
    },
    stream,
    includeUsage,
    model: typeof request['model'] === 'string' ? request['model'] : undefined,
  };
}

/** Fields accepted only at the value that changes nothing (turnpool cannot honour the others). */
function checkNeutral(body: Record<string, unknown>): void {
  const n = body['n'];
  if (n !== undefined && n !== null && n !== 1) throw invalidField('n', 'only 1 choice per request is supported');
  if (body['logprobs'] === true) throw invalidField('logprobs', 'log probabilities are not available from Bedrock');
  for (const key of ['frequency_penalty', 'presence_penalty']) {
    const v = body[key];
    if (v !== undefined && v !== null && v !== 0) throw invalidField(key, 'not supported by Bedrock Converse (only 0)');
  }
  const format = body['response_format'];
  if (format !== undefined && format !== null && !(isRecord(format) && format['type'] === 'text')) {
    throw invalidField('response_format', 'only {"type":"text"} is supported; ask for JSON in the prompt or use a tool');
  }
}

/** The text of a string or an array of text parts (`refusal` parts too, in assistant messages). */
function textParts(content: unknown, path: string, assistant = false): string[] {
  if (typeof content === 'string') return [content];
  return readArray(content, path).map((p, k) => {
    const part = readObject(p, `${path}[${k}]`);
    if (part['type'] === 'text') return readString(part['text'], `${path}[${k}].text`);
    if (assistant && part['type'] === 'refusal') return readString(part['refusal'], `${path}[${k}].refusal`);
    throw invalidField(`${path}[${k}].type`, `expected "text"${assistant ? ' or "refusal"' : ''} here`);
  });
}

function addUserContent(builder: ReturnType<typeof createConversationBuilder>, content: unknown, path: string): void {
  if (typeof content === 'string') {
    builder.add('user', { text: content }, path);
    return;
  }
  const parts = readArray(content, path);
  if (parts.length === 0) throw invalidField(path, 'must not be empty');
  for (const [k, p] of parts.entries()) {
    const at = `${path}[${k}]`;
    const part = readObject(p, at);
    let block: DraftBlock;
    if (part['type'] === 'text') block = { text: readString(part['text'], `${at}.text`) };
    else if (part['type'] === 'image_url') {
      const image = readObject(part['image_url'], `${at}.image_url`);
      const { mediaType, data } = parseDataUrl(readString(image['url'], `${at}.image_url.url`), `${at}.image_url.url`);
      block = { image: { format: imageFormatOf(mediaType, `${at}.image_url.url`), data } };
    } else if (part['type'] === 'file') {
      const file = readObject(part['file'], `${at}.file`);
      const { mediaType, data } = parseDataUrl(readString(file['file_data'], `${at}.file.file_data`), `${at}.file.file_data`);
      if (mediaType !== 'application/pdf')
        throw invalidField(`${at}.file.file_data`, 'only PDF files (data:application/pdf;base64,…) are supported');
      const filename = typeof file['filename'] === 'string' ? file['filename'] : 'document';
      block = { document: { format: 'pdf', name: documentName(filename), data } };
    } else throw invalidField(`${at}.type`, 'expected "text", "image_url" or "file"');
    builder.add('user', block, at);
  }
}

function toolUseOf(raw: unknown, path: string): Record<string, unknown> {
  const call = readObject(raw, path);
  if (call['type'] !== undefined && call['type'] !== 'function') throw invalidField(`${path}.type`, 'expected "function"');
  const fn = readObject(call['function'], `${path}.function`);
  const args = readString(fn['arguments'] ?? '', `${path}.function.arguments`);
  let input: unknown = {};
  if (args.trim() !== '') {
    try {
      input = JSON.parse(args);
    } catch {
      throw invalidField(`${path}.function.arguments`, 'is not valid JSON');
    }
  }
  if (!isRecord(input)) throw invalidField(`${path}.function.arguments`, 'must be a JSON object');
  return { toolUseId: readString(call['id'], `${path}.id`), name: readString(fn['name'], `${path}.function.name`), input };
}

function toolOf(raw: unknown, path: string): Record<string, unknown> {
  const tool = readObject(raw, path);
  if (tool['type'] !== 'function') throw invalidField(`${path}.type`, 'only "function" tools are supported');
  const fn = readObject(tool['function'], `${path}.function`);
  const out: Record<string, unknown> = { name: readString(fn['name'], `${path}.function.name`) };
  const description = fn['description'];
  if (description !== undefined && description !== null && readString(description, `${path}.function.description`) !== '')
    out['description'] = description;
  const parameters = fn['parameters'];
  out['inputSchema'] =
    parameters === undefined || parameters === null
      ? { type: 'object', properties: {} }
      : readObject(parameters, `${path}.function.parameters`);
  return out;
}
