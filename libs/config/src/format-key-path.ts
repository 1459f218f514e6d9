const plainSegment = /^[A-Za-z_$][\w$-]*$/;

/**
 * The printable form of a key path: `models.providers.amazon-bedrock.models[0].id`; keys that
 * are not plain words (`anthropic.claude-3`) are bracketed and quoted: `x["anthropic.claude-3"]`.
 */
export function formatKeyPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && plainSegment.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}
