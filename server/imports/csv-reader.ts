// Reads what people really upload: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252
// (Excel in Norway); comma, semicolon or tab; quoted fields with newlines. Streams, never the
// whole file in memory.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

export const IMPORT_LIMITS = {
  /** The default; KUNDE_IMPORT_MAX_BYTES (config.ts) sets ImportService.maxFileBytes. */
  maxFileBytes: 256 * 1024 * 1024,
  maxColumns: 200,
  maxRecordBytes: 64 * 1024,
};

export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly row?: number,
  ) {
    super(message);
  }
}

/** BOM first; otherwise UTF-8 if the whole file decodes as UTF-8, else Windows-1252. */
export async function detectEncoding(file: string): Promise<CsvEncoding> {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  const read = fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  if (read >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (read >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function decodedStream(file: string, encoding: CsvEncoding): Readable {
  const raw = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  if (encoding === 'utf-8') return raw;
  return raw.pipe(
    iconv.decodeStream(encoding === 'windows-1252' ? 'win1252' : encoding),
  ) as unknown as Readable;
}

/** The delimiter that splits the first lines most consistently (outside quotes). */
export async function detectDelimiter(file: string, encoding: CsvEncoding): Promise<Delimiter> {
  let text = '';
  for await (const chunk of decodedStream(file, encoding)) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > 64 * 1024) break;
  }
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 20);
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const delimiter of [',', ';', '\t'] as const) {
    const counts = lines.map((line) => line.replace(/"[^"]*"/g, '').split(delimiter).length - 1);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = delimiter;
    }
  }
  return best;
}

export interface CsvRecord {
  /** Spreadsheet row number: the header is row 1, the first data row is row 2. */
  row: number;
  cells: string[];
}

/** Streams records (the header included, as row 1), skipping blank lines. */
export async function* readRecords(
  file: string,
  encoding: CsvEncoding,
  delimiter: Delimiter,
): AsyncGenerator<CsvRecord> {
  const parser = decodedStream(file, encoding).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: IMPORT_LIMITS.maxRecordBytes,
      trim: false,
    }),
  );
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      if (cells.length > IMPORT_LIMITS.maxColumns) {
        throw new CsvFormatError(
          `row ${row} has ${cells.length} columns; at most ${IMPORT_LIMITS.maxColumns} are allowed`,
          row,
        );
      }
      if (cells.every((c) => c.trim() === '')) continue;
      yield { row, cells };
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/i.exec(message)?.[1];
    if (
      /max_record_size/i.test(message) ||
      (error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE'
    ) {
      throw new CsvFormatError(
        `a row near line ${line ?? '?'} is longer than ${IMPORT_LIMITS.maxRecordBytes / 1024} KB`,
        row + 1,
      );
    }
    throw new CsvFormatError(
      `the file is not valid CSV near line ${line ?? '?'}: ${message.replace(/^Invalid .*?: /, '')}`,
      row + 1,
    );
  }
}

/** Builds a readable stream of CSV text; used by the export. */
export function csvLine(cells: (string | number | boolean | null | undefined)[]): string {
  return `${cells
    .map((cell) => {
      const text = cell === null || cell === undefined ? '' : String(cell);
      return /[",\r\n;\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

export function toReadable(lines: AsyncIterable<string>): Readable {
  return Readable.from(lines);
}
