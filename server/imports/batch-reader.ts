// An import file as batches of parsed rows (customer drafts and row errors). Large files are read
// and parsed on a worker thread, so one core parses the next batch while the other writes this
// one; small files are read in-process, where a thread's start-up would cost more than it saves.
import type { CustomField } from '../../common/custom-field.ts';
import { startTsWorker } from '../threads/threads.ts';
import type { ColumnTarget } from '../../common/import-columns.ts';
import { CsvFormatError, readRecords, type CsvEncoding, type Delimiter } from './csv-reader.ts';
import { parseRow, type CustomerDraft, type RowContext, type RowError } from './row.ts';

export interface RowBatch {
  drafts: CustomerDraft[];
  errors: RowError[];
  /** Data rows read, the failed ones included. */
  rows: number;
}

/** Everything needed to read a file; plain data, so it can be handed to a thread. */
export interface BatchSource {
  file: string;
  encoding: CsvEncoding;
  delimiter: Delimiter;
  /** Data rows already imported (a resumed import): read past, not parsed. */
  skip: number;
  batchSize: number;
  /** Text a batch may hold (BATCH_MAX_CHARS unless a test says otherwise). */
  maxChars?: number;
  header: string[];
  mapping: ColumnTarget[];
  fields: CustomField[];
  phoneCountry: string;
  overwriteEmpty: boolean;
}

/**
 * A batch also ends when its cells hold this much text, so that memory stays flat even for wide
 * rows: 5,000 rows of 64 KB would otherwise be 320 MB.
 */
export const BATCH_MAX_CHARS = 4 * 1024 * 1024;

/** Files at least this large are parsed on a thread. */
export const THREAD_MIN_BYTES = 4 * 1024 * 1024;

/** Reads and parses in this thread. */
export async function* parseBatches(source: BatchSource): AsyncGenerator<RowBatch> {
  const context: RowContext = {
    header: source.header,
    mapping: source.mapping,
    fields: new Map(source.fields.map((f) => [f.key, f])),
    phoneCountry: source.phoneCountry,
    overwriteEmpty: source.overwriteEmpty,
  };
  let index = 0;
  let batch: RowBatch = { drafts: [], errors: [], rows: 0 };
  let chars = 0;
  const maxChars = source.maxChars ?? BATCH_MAX_CHARS;
  let header = true;
  for await (const record of readRecords(source.file, source.encoding, source.delimiter)) {
    // The first record is the header, wherever blank lines put it.
    if (header) {
      header = false;
      continue;
    }
    index += 1;
    if (index <= source.skip) continue;
    const parsed = parseRow(record, context);
    if (parsed.errors.length) batch.errors.push(...parsed.errors);
    else batch.drafts.push(parsed.draft);
    batch.rows += 1;
    for (const cell of record.cells) chars += cell.length;
    if (batch.rows >= source.batchSize || chars >= maxChars) {
      yield batch;
      batch = { drafts: [], errors: [], rows: 0 };
      chars = 0;
    }
  }
  if (batch.rows > 0) yield batch;
}

/** What the thread sends: a batch, the end, or why it stopped. */
export type ThreadMessage =
  | { type: 'batch'; batch: RowBatch }
  | { type: 'end' }
  | { type: 'error'; message: string; csvRow?: number; csv: boolean };

/** Batches the thread may have ready ahead of the one being written: bounds its memory. */
export const READ_AHEAD = 2;

/** Parses on a worker thread; the thread stops when the caller stops reading. */
export async function* threadBatches(source: BatchSource): AsyncGenerator<RowBatch> {
  const worker = startTsWorker(
    new URL('./batch-reader.worker.ts', import.meta.url),
    { source },
    // Two batches ahead and one in transit, each at most BATCH_MAX_CHARS of text.
    { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
  );
  const inbox: ThreadMessage[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: ThreadMessage) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ type: 'error', message: error.message, csv: false }));
  worker.on('exit', (code) =>
    deliver({
      type: 'error',
      message: `the reading thread stopped (exit code ${code})`,
      csv: false,
    }),
  );
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift() as ThreadMessage;
      if (message.type === 'end') return;
      if (message.type === 'error') {
        if (message.csv) throw new CsvFormatError(message.message, message.csvRow);
        throw new Error(message.message);
      }
      yield message.batch;
      worker.postMessage('more');
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

export function readBatches(source: BatchSource, sizeBytes: number): AsyncGenerator<RowBatch> {
  return sizeBytes >= THREAD_MIN_BYTES ? threadBatches(source) : parseBatches(source);
}
