import { InvocationError } from './invocation-error.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const constraint = (path: string, what: string): InvocationError =>
  new InvocationError('ValidationException', `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${what}`);

const formats = ['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md'];
const sources = ['bytes', 's3Location', 'text', 'content'];
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks a Converse `document` content block as Bedrock does: `format` from the enum,
 * a `name` of 1-200 characters, a `source` with exactly one of `bytes` (base64 on the wire),
 * `s3Location`, `text`, `content`. `at` is the block's wire path, e.g. `messages.1.member.content.2.member.document`.
 */
export function validateDocumentBlock(doc: unknown, at: string): void {
  if (!isObj(doc)) throw constraint(at, 'Member must be a structure');
  if (typeof doc['format'] !== 'string' || !formats.includes(doc['format'])) {
    throw constraint(`${at}.format`, `Member must satisfy enum value set: [${formats.join(', ')}]`);
  }
  const name = doc['name'];
  if (typeof name !== 'string' || name.length < 1 || name.length > 200)
    throw constraint(`${at}.name`, 'Member must have length between 1 and 200');
  const source = doc['source'];
  const keys = isObj(source) ? Object.keys(source).filter((k) => source[k] !== undefined && source[k] !== null) : [];
  if (!isObj(source) || keys.length !== 1 || !sources.includes(keys[0] as string)) {
    throw constraint(`${at}.source`, `Member must be a union with exactly one member set: [${sources.join(', ')}]`);
  }
  const bytes = source['bytes'];
  if (bytes !== undefined && (typeof bytes !== 'string' || bytes.length === 0 || !base64.test(bytes))) {
    throw constraint(`${at}.source.bytes`, 'Member must be a non-empty base64-encoded blob');
  }
  const text = source['text'];
  if (text !== undefined && (typeof text !== 'string' || text.length === 0)) {
    throw constraint(`${at}.source.text`, 'Member must have length greater than or equal to 1');
  }
}
