/**
 * A small multipart/form-data reader for the one field Walmart's feed upload takes (`file`).
 * Pure: bytes and the Content-Type header in, the field's bytes or a reason out.
 */
export function readMultipartField(body: Buffer, contentType: string | undefined, field: string): { ok: true; value: Buffer } | { ok: false; reason: string } {
  const match = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return { ok: false, reason: 'Content-Type must be multipart/form-data with a boundary' };
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const partStart = position + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
      if (name === field) {
        // The part's content ends before the CRLF that precedes the next delimiter.
        const content = part.subarray(headerEnd + 4);
        return { ok: true, value: content.subarray(0, content.length >= 2 && content.subarray(-2).toString() === '\r\n' ? content.length - 2 : content.length) };
      }
    }
    position = next;
  }
  return { ok: false, reason: `multipart body has no field named "${field}"` };
}
