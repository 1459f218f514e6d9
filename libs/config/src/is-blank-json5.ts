/** True when JSON5 text holds no value: only whitespace and comments. */
export function isBlankJson5(text: string): boolean {
  return text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
}
