const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** True when `s` is canonical padded base64 (standard alphabet, length a multiple of 4). */
export function isBase64(s: string): boolean {
  return s.length % 4 === 0 && base64Pattern.test(s);
}

/** Bytes that a padded base64 string decodes to, computed without decoding it. */
export function decodedBase64Length(s: string): number {
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}

/** Longest base64 string that can decode to at most `bytes` bytes. */
export function maxBase64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
