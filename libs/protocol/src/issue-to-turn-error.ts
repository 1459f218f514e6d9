import type { z } from 'zod';
import { formatFieldPath } from './field-path.ts';
import { TurnError } from './turn-error.ts';

type Issue = z.core.$ZodIssue;

/**
 * Turns the first zod issue of a failed parse into a `TurnError` whose `field` is the path
 * of the offending value (`messages[3].content[0].image.data`) and whose message starts with
 * it. Unions of one-key objects (content blocks) report the branch the caller meant.
 */
export function issueToTurnError(issues: readonly Issue[]): TurnError {
  const first = issues[0];
  if (first === undefined) return new TurnError('invalid_request');
  const { issue, path } = pickIssue(first, first.path);
  let fieldPath: PropertyKey[] = path;
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    fieldPath = [...path, key];
    message = 'unknown field';
  } else if (issue.code === 'invalid_union') {
    message = unionMessage(issue);
  } else if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    message = 'is required';
  }
  const field = formatFieldPath(fieldPath);
  const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined;
  const code = params?.['turnErrorCode'] === 'payload_too_large' ? 'payload_too_large' : 'invalid_request';
  // A problem with the request as a whole (not an object, ...) names the body itself.
  return new TurnError(code, `${field ?? 'body'}: ${message}`, { field: field ?? 'body' });
}

/** For a union issue, descends into the one branch that did not fail on its top-level keys. */
function pickIssue(issue: Issue, path: PropertyKey[]): { issue: Issue; path: PropertyKey[] } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { issue, path };
  const candidates = issue.errors.filter(
    (branch) =>
      !branch.some((i) => (i.code === 'unrecognized_keys' && i.path.length === 0) || (i.code === 'invalid_type' && i.path.length === 0)),
  );
  const chosen = candidates.length === 1 ? candidates[0] : undefined;
  const next = chosen?.[0];
  if (next === undefined) return { issue, path };
  return pickIssue(next, [...path, ...next.path]);
}

function unionMessage(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const keys = new Set<string>();
  for (const branch of issue.errors) {
    for (const i of branch) {
      const missing = (i.code === 'invalid_type' && i.message.includes('received undefined')) || i.code === 'invalid_union';
      if (missing && i.path.length === 1) keys.add(String(i.path[0]));
      if (i.code === 'invalid_value' && i.path.length === 0) for (const v of i.values) keys.add(JSON.stringify(v));
      if (i.code === 'invalid_type' && i.path.length === 0) keys.add(`an ${i.expected}`);
    }
  }
  return keys.size > 0 ? `expected one of: ${[...keys].join(', ')}` : 'does not match any allowed shape';
}
