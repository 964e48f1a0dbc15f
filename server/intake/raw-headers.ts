// Raw 8-bit header bytes, before the parser sees them. RFC 5322 headers are ASCII and non-ASCII
// text belongs in RFC 2047 encoded words, but real mailers also write raw Latin-1 ("K\xe5re") or
// raw UTF-8. mailparser reads every header as UTF-8, so Latin-1 bytes became U+FFFD. Here each
// header line that is not valid UTF-8 is decoded with the message's declared charset (the top
// part's Content-Type), else Windows-1252 (a superset of Latin-1 that decodes every byte), and
// written back as UTF-8. Valid UTF-8 lines and the body are left byte for byte as they came.
import iconv from 'iconv-lite';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Where the header block ends: the index of the empty line, or the whole message. */
function headerEnd(raw: Buffer): number {
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 1;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 1;
  }
  return raw.length;
}

/**
 * Valid UTF-8 that a person wrote. UTF-8 decoding to C1 controls (U+0080–U+009F) is taken for
 * Windows-1252 instead: "\xc2\x82" is far likelier "Â‚" than an invisible control.
 */
function isUtf8(bytes: Buffer): boolean {
  try {
    return !/[\u0080-\u009f]/.test(strictUtf8.decode(bytes));
  } catch {
    return false;
  }
}

function hasHighBytes(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

/** The charset the top-level Content-Type declares, when iconv-lite knows it and it is not UTF-8. */
export function declaredCharset(headerBlock: string): string | undefined {
  const contentType = /^content-type:((?:[^\n]*\n[ \t])*[^\n]*)/im.exec(headerBlock)?.[1];
  const charset = contentType && /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  // UTF-16/32 cannot be the charset of an ASCII header line; such a declaration is ignored.
  if (!charset || /^(utf-?8|utf-?16.*|utf-?32.*|ucs-?2)$/i.test(charset)) return undefined;
  if (!iconv.encodingExists(charset)) return undefined;
  return charset;
}

/** The message with every non-UTF-8 header line transcoded to UTF-8 (the same Buffer if none). */
export function repairRawHeaders(raw: Buffer): Buffer {
  const end = headerEnd(raw);
  const header = raw.subarray(0, end);
  if (!hasHighBytes(header) || isUtf8(header)) return raw;
  const charset = declaredCharset(header.toString('latin1')) ?? 'windows-1252';
  const lines: Buffer[] = [];
  let start = 0;
  while (start < header.length) {
    const newline = header.indexOf(0x0a, start);
    const stop = newline === -1 ? header.length : newline + 1;
    const line = header.subarray(start, stop);
    lines.push(
      hasHighBytes(line) && !isUtf8(line) ? Buffer.from(iconv.decode(line, charset), 'utf8') : line,
    );
    start = stop;
  }
  return Buffer.concat([...lines, raw.subarray(end)]);
}
