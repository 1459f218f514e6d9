/** A file name Bedrock accepts as a document name (letters, digits, single spaces, `-()[]`). */
export function documentName(filename: string): string {
  const name = filename
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[^A-Za-z0-9\-()[\] ]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return name === '' ? 'document' : name;
}
