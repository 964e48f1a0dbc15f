// Reads what people really upload: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252
// (Excel in Norway; encoding.ts decides which); comma, semicolon or tab; quoted fields with
// newlines. Streams, never the whole file in memory.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { importReason, type ImportReasonParams } from '../../common/import-reasons.ts';
import { codePointName, forbiddenCharacter } from '../../common/text.ts';
import { isValidUtf8 } from './encoding.ts';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

/**
 * What is a file refusal and what fails one row (README, "CSV import limits"):
 * - the file: larger than maxFileBytes, a row over maxColumns cells, a record over maxRecordBytes
 *   (only an unclosed quote or a broken file makes one; it also bounds the reader's memory), a
 *   quote left open, or other CSV that cannot be split into cells;
 * - one row: longer than maxRowChars, a control character, bytes that are not UTF-8 (in a UTF-8
 *   file), more non-empty cells than the header. Every other row imports.
 */
export const IMPORT_LIMITS = {
  /** The default; KUNDE_IMPORT_MAX_BYTES (config.ts) sets ImportService.maxFileBytes. */
  maxFileBytes: 256 * 1024 * 1024,
  maxColumns: 200,
  /** A row longer than this fails (that row only). */
  maxRowChars: 64 * 1024,
  /** A record longer than this refuses the file: the parser must hold a record to split it. */
  maxRecordBytes: 8 * 1024 * 1024,
};

export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly row?: number,
  ) {
    super(message);
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

/** Why one row cannot be imported, whatever the mapping: the cell, the reason and its code. */
export interface RecordProblem {
  cell: number;
  reason: string;
  code: string;
  params: ImportReasonParams;
}

export interface CsvRecord {
  /** Spreadsheet row number: the header is row 1, the first data row is row 2. */
  row: number;
  cells: string[];
  /** Set when the row fails as a whole (its cells are not to be imported). */
  problem?: RecordProblem;
}

/** A cell with a character the text policy refuses (common/text.ts), as a field error says it. */
function refusedCharacter(cell: number, text: string): RecordProblem | undefined {
  const found = forbiddenCharacter(text);
  if (!found) return undefined;
  const character = codePointName(found.char);
  return {
    cell,
    code: 'control_character',
    params: { character },
    reason: `contains a control character (${character})`,
  };
}

/**
 * What may be a refused character (common/text.ts: controls, surrogates, which valid pairs hit
 * too) or a byte the decoder replaced (U+FFFD). A hit is then checked exactly.
 */

const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF\uFFFD]/;

/** A row over the limit fails at its longest cell: the one to look at. */
function overlong(cells: string[]): RecordProblem {
  let longest = 0;
  for (let index = 1; index < cells.length; index += 1)
    if (cells[index]!.length > cells[longest]!.length) longest = index;
  return {
    cell: longest,
    ...importReason('row_too_long', { kb: IMPORT_LIMITS.maxRowChars / 1024 }),
  };
}

/**
 * Streams records (the header included, as row 1). Rows are counted as a spreadsheet shows them:
 * a blank line is a row (skipped, but counted), a quoted newline stays inside its row.
 */
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
      skip_empty_lines: false,
      max_record_size: IMPORT_LIMITS.maxRecordBytes,
      trim: false,
    }),
  );
  // U+FFFD is what the decoder leaves for bytes that are not UTF-8, but a valid file may hold it
  // too: only when the file has invalid bytes (asked once, natively) does it fail its row.
  let invalidBytes: boolean | undefined;
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
      // One cheap test per cell (a plain regex: no Unicode mode), exact checks only on a hit:
      // this runs for every cell of a million-row file.
      let blank = true;
      let chars = 0;
      let suspect = -1;
      for (let index = 0; index < cells.length; index += 1) {
        const cell = cells[index]!;
        chars += cell.length;
        if (blank && cell.trim() !== '') blank = false;
        if (suspect < 0 && SUSPECT.test(cell)) suspect = index;
      }
      if (blank) continue;
      let problem: RecordProblem | undefined;
      if (chars > IMPORT_LIMITS.maxRowChars) problem = overlong(cells);
      for (
        let index = suspect;
        problem === undefined && index >= 0 && index < cells.length;
        index += 1
      ) {
        const cell = cells[index]!;
        problem = refusedCharacter(index, cell);
        if (problem === undefined && encoding === 'utf-8' && cell.includes('\uFFFD')) {
          invalidBytes ??= !(await isValidUtf8(file));
          if (invalidBytes) problem = { cell: index, ...importReason('not_utf8') };
        }
      }
      yield problem ? { row, cells, problem } : { row, cells };
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw error;
    // The parser's own count of the records before the broken one (blank lines included): a
    // stream may report its error before the records buffered ahead of it were read here.
    const records = (error as { records?: unknown }).records;
    throw csvError(error, (typeof records === 'number' ? records : row) + 1);
  }
}

/** The parser's error in a person's words, with the spreadsheet row it was reading. */
function csvError(error: unknown, row: number): CsvFormatError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'CSV_MAX_RECORD_SIZE')
    return new CsvFormatError(
      `row ${row} is longer than ${IMPORT_LIMITS.maxRecordBytes / (1024 * 1024)} MB: is a quote left open?`,
      row,
    );
  if (code === 'CSV_QUOTE_NOT_CLOSED')
    return new CsvFormatError(
      `the file is not valid CSV: a quote opened in row ${row} is never closed`,
      row,
    );
  // csv-parse counts lines its own way (CR and LF apart): the row is the one it was reading.
  const reason = message
    .replace(/^Invalid .*?: /, '')
    .replace(/ (at|on) line \d+/g, '')
    .replace(/^[^:]+: /, '');
  return new CsvFormatError(`the file is not valid CSV in row ${row}: ${reason}`, row);
}

/**
 * One CSV line, cells joined by `delimiter` (csv-headers.ts picks it for the agent's language).
 * A cell holding any of the three delimiters is quoted whichever is used, so a file re-read with
 * another delimiter guess still splits the same way.
 */
export function csvLine(
  cells: (string | number | boolean | null | undefined)[],
  delimiter: Delimiter = ',',
): string {
  return `${cells
    .map((cell) => {
      const text = cell === null || cell === undefined ? '' : String(cell);
      return /[",\r\n;\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(delimiter)}\r\n`;
}

export function toReadable(lines: AsyncIterable<string>): Readable {
  return Readable.from(lines);
}
