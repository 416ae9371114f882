import { fileTypeFromBuffer } from 'file-type';

/** Types a record may carry, decided from the content (magic numbers), never from the client. */
export const ALLOWED_TYPES: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/heic': 'HEIC image',
  'application/pdf': 'PDF',
  'text/plain': 'plain text',
  'text/csv': 'CSV',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation',
  'application/x-cfb': 'legacy Office document',
};

/** How many leading bytes are read to decide. */
export const SNIFF_BYTES = 4100;

/**
 * The content type of a file from its first bytes. Binary formats are recognised by file-type;
 * text (which has no magic number) is accepted as plain text or CSV only when it is valid UTF-8
 * without control characters and does not look like markup (HTML, SVG and XML can carry scripts).
 */
export async function sniffContentType(head: Buffer, fileName: string): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return ALLOWED_TYPES[detected.mime] ? detected.mime : undefined;
  if (!looksLikeText(head)) return undefined;
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<(!doctype|html|head|body|script|svg|\?xml|iframe|div|a\s)/i.test(text) || /<script[\s>]/i.test(text))
    return undefined;
  return /\.csv$/i.test(fileName) ? 'text/csv' : 'text/plain';
}

function looksLikeText(buf: Buffer): boolean {
  if (buf.length === 0) return true;
  // Cut a possibly split multi-byte character at the end of the sample.
  let end = buf.length;
  for (let i = 1; i <= 3 && i <= buf.length; i++) {
    const b = buf[buf.length - i] ?? 0;
    if ((b & 0xc0) === 0xc0) {
      end = buf.length - i;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  const sample = buf.subarray(0, end);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
  } catch {
    return false;
  }
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return false;
  return true;
}
