const patterns: Array<[RegExp, string]> = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, '[redacted]'], // access key ids
  [/\bABSK[A-Za-z0-9+/=]{16,}/g, '[redacted]'], // Bedrock API keys
  [/\b(Bearer)\s+[^\s,;]+/gi, '$1 [redacted]'],
  [/\b(Signature|Credential|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature|Authorization)(\s*[=:]\s*)[^\s,;]+/gi, '$1$2[redacted]'],
  [/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g, '[redacted]'], // 40-char secret access keys
];

/**
 * Removes anything that looks like an AWS credential from a message: access key ids, 40
 * character secret keys, Bedrock API keys, bearer tokens and SigV4 fields, plus any string in
 * `secrets`. Upstream messages go through this before they reach an error, a log or Redis.
 */
export function redactSecrets(message: string, secrets: readonly string[] = []): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}
