// Which text encoding an upload is in, decided once per file: a BOM, else UTF-8 or Windows-1252
// by the rule below, and where its first byte that is not UTF-8 sits (the preview names that row).
import fs from 'node:fs';
import type { CsvEncoding } from './csv-reader.ts';

export interface EncodingGuess {
  encoding: CsvEncoding;
  /** Spreadsheet row of the first byte that is not UTF-8, when there is one. */
  firstInvalidRow?: number;
}

/**
 * BOM first; then UTF-8 when the whole file is UTF-8 (checked natively, the common case). A file
 * with bytes that are not UTF-8 is still UTF-8 when its valid multi-byte UTF-8 characters are at
 * least as many as its invalid sequences (a UTF-8 file with a stray Latin-1 byte: that row fails);
 * otherwise it is Windows-1252 (what Excel writes in Norway), which the preview says, naming the
 * row of the first byte that is not UTF-8.
 */
export async function detectEncoding(file: string): Promise<EncodingGuess> {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  const read = fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  if (read >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le' };
  if (read >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be' };
  if (await isValidUtf8(file)) return { encoding: 'utf-8' };
  const scan = await scanUtf8(file, false);
  return {
    encoding: scan.valid >= scan.invalid ? 'utf-8' : 'windows-1252',
    firstInvalidRow: scan.firstInvalidRow,
  };
}

/** Whether the whole file decodes as UTF-8 (native decoder: fast enough for every upload). */
export async function isValidUtf8(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** Length of a valid UTF-8 sequence at `i` (2-4), or 0 when the bytes there are not UTF-8. */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i]!;
  const next = (k: number) => {
    const c = bytes[i + k];
    return c !== undefined && (c & 0xc0) === 0x80;
  };
  if (b >= 0xc2 && b <= 0xdf) return next(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const c = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f)) return 0;
    return next(1) && next(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const c = bytes[i + 1] ?? 0;
    if ((b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f)) return 0;
    return next(1) && next(2) && next(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Counts valid multi-byte UTF-8 characters and invalid sequences, and the spreadsheet row of the
 * first invalid one (rows counted as the parser does: record ends outside quotes). Only runs for
 * files the native decoder refused; `stopAtFirst` ends at the first invalid byte (the preview).
 */
export async function scanUtf8(
  file: string,
  stopAtFirst: boolean,
): Promise<{ valid: number; invalid: number; firstInvalidRow?: number }> {
  let valid = 0;
  let invalid = 0;
  let firstInvalidRow: number | undefined;
  let row = 1;
  let quoted = false;
  let previous = 0;
  /** Scans bytes[0, end) (a sequence may run past end); answers where it stopped. */
  const scan = (bytes: Buffer, end: number): number => {
    let i = 0;
    for (; i < end; i += 1) {
      const b = bytes[i]!;
      const before = previous;
      previous = b;
      if (b < 0x80) {
        if (b === 0x22) quoted = !quoted;
        else if (!quoted && (b === 0x0a ? before !== 0x0d : b === 0x0d)) row += 1;
        continue;
      }
      const length = sequenceLength(bytes, i);
      if (length > 0) {
        valid += 1;
        i += length - 1;
        continue;
      }
      invalid += 1;
      firstInvalidRow ??= row;
      if (stopAtFirst) return -1;
    }
    return i;
  };
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const bytes: Buffer = carry.length
      ? Buffer.concat([carry, chunk as Buffer])
      : (chunk as Buffer);
    // A sequence cut by the chunk's end is looked at again with the next chunk.
    const stopped = scan(bytes, bytes.length - 3);
    if (stopped < 0) return { valid, invalid, firstInvalidRow };
    carry = bytes.subarray(stopped);
  }
  scan(carry, carry.length);
  return { valid, invalid, firstInvalidRow };
}
