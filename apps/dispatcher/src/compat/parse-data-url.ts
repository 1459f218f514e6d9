import { invalidField } from './invalid-field.ts';

/** Image formats turnpool (Bedrock) accepts, by media type. */
const imageFormats: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The image format for a media type (`image/png` → `png`), else a 400 naming `field`. */
export function imageFormatOf(mediaType: string, field: string): 'png' | 'jpeg' | 'gif' | 'webp' {
  const format = imageFormats[mediaType.toLowerCase()];
  if (!format)
    throw invalidField(
      field,
      `unsupported image type ${JSON.stringify(mediaType.slice(0, 60))} (allowed: image/png, image/jpeg, image/gif, image/webp)`,
    );
  return format;
}

/**
 * Splits a base64 `data:` URL into its media type and data. Remote URLs are refused: the
 * dispatcher does not fetch from the internet on a client's behalf.
 */
export function parseDataUrl(url: string, field: string): { mediaType: string; data: string } {
  const m = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[^;,]*)*;base64,/i.exec(url.slice(0, 300));
  if (!m) {
    const remote = /^https?:/i.test(url);
    throw invalidField(
      field,
      remote
        ? 'only base64 data URLs (data:image/png;base64,…) are accepted; turnpool does not fetch remote URLs'
        : 'expected a base64 data URL (data:<media type>;base64,<data>)',
    );
  }
  return { mediaType: m[1] ?? '', data: url.slice(m[0].length) };
}
