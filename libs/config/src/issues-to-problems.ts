import type { z } from 'zod';
import { sourceKey } from './apply-env-overrides.ts';
import type { ConfigProblem } from './config-error.ts';
import { configFileSchema } from './config-schema.ts';
import { allowedKeysAt, describeAllowed, schemaAt } from './describe-allowed.ts';
import { formatKeyPath } from './format-key-path.ts';
import { getValueAtPath } from './get-value-at-path.ts';
import { lineAt, locateJson5Path } from './locate-json5-path.ts';
import type { Json5Node } from './parse-json5-tree.ts';
import { isSecretKeyPath, renderValue } from './render-value.ts';

/** Where the validated value came from, to point each problem at its file line or variable. */
export interface ProblemContext {
  /** The value that was validated (file + env overrides). */
  input: unknown;
  file?: string;
  text?: string;
  tree?: Json5Node;
  /** Key path -> environment variable (see applyEnvOverrides). */
  sources: Map<string, string>;
}

/** Turns zod issues into problems that name the key path, the (masked) value, what is allowed, and the line or variable. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], ctx: ProblemContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(configFileSchema, issue.path);
      for (const key of issue.keys) {
        problems.push(
          withWhere(
            {
              keyPath: formatKeyPath([...issue.path, key]),
              message: `unknown key "${key}"`,
              allowed: allowed.length > 0 ? `one of ${allowed.join(', ')}` : 'no other keys',
            },
            [...issue.path, key],
            ctx,
          ),
        );
      }
      continue;
    }
    const found = getValueAtPath(ctx.input, issue.path);
    const value = found.found ? found.value : undefined;
    const secret = isSecretKeyPath(issue.path);
    const rendered = renderValue(value, secret);
    const params = 'params' in issue ? (issue.params as { allowed?: unknown } | undefined) : undefined;
    const allowed = typeof params?.allowed === 'string' ? params.allowed : describeAllowed(schemaAt(configFileSchema, issue.path));
    const problem: ConfigProblem = { keyPath: formatKeyPath(issue.path), message: describeIssue(issue, found.found, rendered) };
    if (found.found) problem.value = rendered;
    if (allowed !== undefined && !(issue.code === 'invalid_type' && issue.expected === 'never')) problem.allowed = allowed;
    problems.push(withWhere(problem, issue.path, ctx));
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, present: boolean, rendered: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'never') return issue.message;
      return present ? `expected ${issue.expected}, got ${rendered}` : 'is required';
    case 'too_small':
    case 'too_big':
      return `${rendered} is out of range`;
    case 'invalid_value':
    case 'invalid_format':
      return `${rendered} is not allowed`;
    case 'custom': {
      const params = issue.params as { allowed?: unknown } | undefined;
      return params?.allowed === undefined ? `${rendered}: ${issue.message}` : issue.message;
    }
    default:
      return `${issue.message}${present ? `, got ${rendered}` : ''}`;
  }
}

function withWhere(problem: ConfigProblem, path: readonly PropertyKey[], ctx: ProblemContext): ConfigProblem {
  for (let n = path.length; n > 0; n -= 1) {
    const envVar = ctx.sources.get(sourceKey(path.slice(0, n)));
    if (envVar !== undefined) return { ...problem, envVar };
  }
  const out: ConfigProblem = { ...problem };
  if (ctx.file !== undefined) out.file = ctx.file;
  if (ctx.tree !== undefined && ctx.text !== undefined) out.line = lineAt(ctx.text, locateJson5Path(ctx.tree, path).offset);
  return out;
}
