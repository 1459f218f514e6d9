/**
 * What is wrong with a text turnpool shows a person (a message, a usage text), by the rules of
 * docs/development.md "User-facing text":
 *
 * - no doubled period (`..` that is neither an ellipsis nor a range like `0..1`) — it appears
 *   when a message that already ends in `.` is composed into another sentence;
 * - the provider is "Amazon Bedrock" (short: "Bedrock"), never "AWS Bedrock" or another case;
 *   `amazon-bedrock` only as users type it (the config key `models.providers["amazon-bedrock"]`,
 *   `plugins.entries["amazon-bedrock"]`, the model-ref prefix `amazon-bedrock/<id>`); lowercase
 *   `bedrock` only as the AWS service namespace (`bedrock:InvokeModel…`, service code bedrock,
 *   SigV4 signing name, host names, key names such as `bedrockDiscovery`).
 *
 * Returns one line per problem (empty when the text is fine).
 */
export function userFacingTextProblems(text: string): string[] {
  const problems: string[] = [];
  const around = (i: number, len: number) => JSON.stringify(text.slice(Math.max(0, i - 30), i + len + 30));
  for (const m of text.matchAll(/[^\s.\d]\.\.(?!\.)/g)) problems.push(`doubled period: ${around(m.index, 3)}`);
  for (const m of text.matchAll(/\b(?:aws|amazon)[\s_]+bedrock\b/gi)) {
    if (m[0] !== 'Amazon Bedrock')
      problems.push(`provider spelled "${m[0]}" (write "Amazon Bedrock" or "Bedrock"): ${around(m.index, m[0].length)}`);
  }
  for (const m of text.matchAll(/amazon-bedrock/gi)) {
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + m[0].length);
    const asTyped = m[0] === 'amazon-bedrock' && (after.startsWith('/') || /(?:\[["']|providers\.|entries\.)$/.test(before));
    if (!asTyped) problems.push(`"${m[0]}" outside a config key or model ref (write "Amazon Bedrock"): ${around(m.index, m[0].length)}`);
  }
  for (const m of text.matchAll(/(?<![\w.:/@-])bedrock(?![\w-])/g)) {
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + m[0].length);
    const namespace = after.startsWith(':') || /^\.[a-z]/.test(after) || /(?:service code |signing name ")$/.test(before);
    if (!namespace) problems.push(`lowercase "bedrock" in prose (write "Bedrock"): ${around(m.index, m[0].length)}`);
  }
  return problems;
}
