// The "fix and re-upload" file of an import (issue 16): the file's header and each row that was
// not imported, cell for cell as uploaded (same columns, same delimiter, extra cells included),
// with a first column saying why (header and reasons in the agent's language, csv-headers.ts).
// The agent fixes the rows in Excel and uploads the file again; the reason column's header, in
// any of its languages, is read past on the way back in (columns.ts, READ_ONLY_COLUMNS).
import { readRecords, type CsvEncoding, type Delimiter } from './csv-reader.ts';

/** One line in the file's own delimiter, quoted where a cell needs it. */
function line(cells: string[], delimiter: Delimiter): string {
  return `${cells
    .map((text) => (/[",\r\n;\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text))
    .join(delimiter)}\r\n`;
}

/**
 * A cell a spreadsheet would run as a formula gets a leading quote, which the import removes
 * again (row.ts, unescapeCell); a cell that already has one is written as it was uploaded.
 */
function guardFormula(cell: string): string {
  return /^[=+\-@\t\r\n]/.test(cell) ? `'${cell}` : cell;
}

/**
 * Streams the fix file. `reasons`: the failed rows (spreadsheet numbers) and their reasons. The
 * reason column comes first: after the file's columns it would sit under a row's extra cells,
 * and it is what the agent reads first anyway. UTF-8 with a BOM whatever the upload was (Excel
 * then reads the letters right).
 */
export async function* fixFileLines(
  file: string,
  encoding: CsvEncoding,
  delimiter: Delimiter,
  reasons: ReadonlyMap<number, string[]>,
  reasonHeader: string,
): AsyncGenerator<string> {
  let header = true;
  for await (const record of readRecords(file, encoding, delimiter)) {
    if (header) {
      header = false;
      yield `\uFEFF${line([reasonHeader, ...record.cells], delimiter)}`;
      continue;
    }
    const reason = reasons.get(record.row);
    if (reason) yield line([reason.join('; '), ...record.cells.map(guardFormula)], delimiter);
  }
}
