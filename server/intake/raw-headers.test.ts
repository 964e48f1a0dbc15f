// Raw 8-bit headers: any Windows-1252 text written raw reads back as written, a declared charset
// wins, and a message whose headers are already UTF-8 (or ASCII) is passed through untouched.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { declaredCharset, repairRawHeaders } from './raw-headers.ts';

const PROPERTY = { seed: 20261201, numRuns: 300 };
// Printable Windows-1252 text (no controls, no bytes it leaves undefined).
const cp1252Text = fc
  .array(
    fc
      .integer({ min: 0x20, max: 0xff })
      .filter((b) => b !== 0x7f && ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b)),
    { minLength: 1, maxLength: 40 },
  )
  .map((bytes) => iconv.decode(Buffer.from(bytes), 'windows-1252'));

function isPrintableUtf8(bytes: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !/[\u0080-\u009f]/.test(text);
  } catch {
    return false;
  }
}

const message = (subject: Buffer, body = 'body \xe5\r\n') =>
  Buffer.concat([
    Buffer.from('From: a@example.org\r\nSubject: '),
    subject,
    Buffer.from('\r\n\r\n'),
    Buffer.from(body, 'latin1'),
  ]);

describe('repairRawHeaders', () => {
  it('reads any raw Windows-1252 header back as written, and leaves the body alone', () => {
    fc.assert(
      fc.property(cp1252Text, (text) => {
        const bytes = iconv.encode(text, 'windows-1252');
        // Bytes that are also UTF-8 of printable text ("Ã¥" is "å") are read as UTF-8: ambiguous.
        fc.pre(!isPrintableUtf8(bytes));
        const repaired = repairRawHeaders(message(bytes));
        const end = repaired.indexOf('\r\n\r\n');
        expect(repaired.subarray(0, end).toString('utf8')).toBe(
          `From: a@example.org\r\nSubject: ${text}`,
        );
        expect(repaired.subarray(end + 4).toString('latin1')).toBe('body \xe5\r\n');
      }),
      PROPERTY,
    );
  });

  it('passes UTF-8 headers through as the same bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const raw = message(Buffer.from(text.replace(/[\r\n]/g, ' '), 'utf8'));
        expect(repairRawHeaders(raw)).toBe(raw);
      }),
      PROPERTY,
    );
  });

  it('uses the declared charset of the top part, and ignores one no header can be in', () => {
    expect(declaredCharset('Content-Type: text/plain;\n charset="ISO-8859-15"\n')).toBe(
      'ISO-8859-15',
    );
    expect(declaredCharset('Content-Type: text/plain; charset=utf-16\n')).toBeUndefined();
    expect(declaredCharset('Content-Type: text/plain; charset=x-unknown\n')).toBeUndefined();
    const raw = Buffer.concat([
      Buffer.from('Subject: '),
      Buffer.from([0xa4]), // € in ISO-8859-15, ¤ in Windows-1252
      Buffer.from('\r\nContent-Type: text/plain; charset=iso-8859-15\r\n\r\nx'),
    ]);
    expect(repairRawHeaders(raw).toString('utf8')).toContain('Subject: €');
  });
});
