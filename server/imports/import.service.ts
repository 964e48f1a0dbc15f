// CSV imports from upload to summary: store the file, recognise its format and columns, show a
// preview, run it as a background job, and report every row that was not imported.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Readable } from 'node:stream';
import type {
  CustomerImport,
  EncodingWarning,
  ImportOptions,
  ImportPreview,
  ImportSample,
} from '../../common/customer-import.ts';
import { BUILT_IN_COLUMNS, type ColumnTarget } from '../../common/import-columns.ts';
import type { CustomField } from '../../common/custom-field.ts';
import type { Principal } from '../agents/principal.ts';
import type { CustomFieldService } from '../custom-fields/custom-field.service.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Db } from '../db/connect.ts';
import type { CustomerImportRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { FileTooLargeError, type FileStore } from '../files/file-store.ts';
import { AppError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import { enqueue } from '../jobs/task.ts';
import { READ_ONLY_COLUMNS, autoMap, checkMapping, headerKey } from './columns.ts';
import { MACHINE_CSV, type CsvFormat } from '../../common/csv-format.ts';
import {
  columnHeader,
  fixFileReasonHeader,
  formatLine,
  headerLine,
  reportedReason,
} from './csv-headers.ts';
import {
  CsvFormatError,
  IMPORT_LIMITS,
  detectDelimiter,
  readRecords,
  type CsvEncoding,
  type Delimiter,
} from './csv-reader.ts';
import { detectEncoding, scanUtf8 } from './encoding.ts';
import * as repo from './import.repository.ts';
import { batchContextFor, importTask, rehearseBatch } from './import.task.ts';
import { UPLOAD_EXPIRY_MS, expireUploadTask, removeNeverStarted } from './import-expiry.task.ts';
import { fixFileLines } from './fix-file.ts';
import { listTypeRows } from '../customer-types/customer-type.repository.ts';
import { parseRow, type CustomerDraft, type RowError } from './row.ts';

/** Data rows the preview checks: enough for a failure rate, quick enough for each mapping change. */
export const PREVIEW_SAMPLE_ROWS = 1000;

/** The same file sent again within this window is the same import. */
export const REPLAY_WINDOW_MS = 10 * 60_000;

export function importRowToView(row: CustomerImportRow): CustomerImport {
  return {
    id: row.id,
    status: row.status as CustomerImport['status'],
    filename: row.filename,
    sizeBytes: Number(row.size_bytes),
    encoding: row.encoding,
    delimiter: row.delimiter,
    header: JSON.parse(row.header) as string[],
    mapping: JSON.parse(row.mapping) as (string | null)[],
    mode: row.mode as CustomerImport['mode'],
    dryRun: Boolean(row.dry_run),
    overwriteEmpty: Boolean(row.overwrite_empty),
    totalRows: Number(row.total_rows),
    processedRows: Number(row.processed_rows),
    created: Number(row.created_count),
    updated: Number(row.updated_count),
    unchanged: Number(row.unchanged_count),
    failed: Number(row.failed_count),
    error: row.error,
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/**
 * An import matches rows to customers across the whole account (by email and phone) and creates
 * customers wherever their domain puts them, so a scoped agent's import (access/scope.ts) could
 * touch or reveal customers out of their scope: it needs the whole account. Refused up front, not
 * row by row, so no file is half imported for a reason the agent cannot see.
 */
export const IMPORT_NEEDS_SCOPE_ALL = 'Importing customers needs the permission scope.all';

function requireWholeAccount(principal: Principal): void {
  if (!principal.scope.all)
    throw new AppError(403, 'scope_all_required', 'Forbidden', IMPORT_NEEDS_SCOPE_ALL, {
      permission: 'scope.all',
    });
}

export class ImportService {
  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
    private readonly customers: CustomerService,
    private readonly customFields: CustomFieldService,
    private readonly onEnqueued: () => void = () => undefined,
    /** Largest upload (KUNDE_IMPORT_MAX_BYTES); the HTTP edge limits multipart bodies to it. */
    readonly maxFileBytes: number = IMPORT_LIMITS.maxFileBytes,
  ) {}

  private fileKey(accountId: string, id: string) {
    return `imports/${accountId}/${id}.csv`;
  }

  /** Stores an upload and reads its format; the same upload twice gives back the first import. */
  async upload(
    principal: Principal,
    input: {
      filename: string;
      body: Readable;
      idempotencyKey?: string;
      options?: ImportOptions;
      start?: boolean;
    },
  ): Promise<{ import: CustomerImport; replayed: boolean }> {
    if (!principal.scope.all) input.body.resume();
    requireWholeAccount(principal);
    const { accountId } = principal;
    const kysely = this.db.kysely;
    if (input.idempotencyKey) {
      const existing = await repo.findImportByIdempotencyKey(
        kysely,
        accountId,
        input.idempotencyKey,
      );
      if (existing) {
        input.body.resume();
        return { import: importRowToView(existing), replayed: true };
      }
    }
    const id = newId();
    const key = this.fileKey(accountId, id);
    let stored: { size: number; sha256: string };
    try {
      stored = await this.files.write(key, input.body, this.maxFileBytes);
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        throw new AppError(
          413,
          'file_too_large',
          'File too large',
          `${error.message}; split it into smaller files`,
        );
      }
      throw error;
    }
    const since = new Date(Date.now() - REPLAY_WINDOW_MS).toISOString();
    // A dry run is never a replay: it is asked for to see what an import would do.
    const same = input.options?.dryRun
      ? undefined
      : await repo.findRecentImportBySha(kysely, accountId, stored.sha256, since, input.options);
    if (same && !input.idempotencyKey) {
      await this.files.remove(key);
      return { import: importRowToView(same), replayed: true };
    }
    try {
      const format = await this.readFormat(key, stored.size);
      const fields = await this.customFields.list(accountId, 'customer');
      const options = input.options;
      const mapping = options?.mapping ?? autoMap(format.header, fields);
      const row: CustomerImportRow = {
        account_id: accountId,
        id,
        status: 'preview',
        filename: input.filename.slice(0, 255) || 'upload.csv',
        file_key: key,
        file_sha256: stored.sha256,
        size_bytes: stored.size,
        idempotency_key: input.idempotencyKey ?? null,
        encoding: format.encoding,
        delimiter: format.delimiter,
        header: JSON.stringify(format.header),
        mapping: JSON.stringify(mapping),
        mode: options?.mode ?? 'create',
        dry_run: options?.dryRun ? 1 : 0,
        overwrite_empty: options?.overwriteEmpty ? 1 : 0,
        total_rows: format.dataRows,
        processed_rows: 0,
        created_count: 0,
        updated_count: 0,
        unchanged_count: 0,
        failed_count: 0,
        error: null,
        created_by: principal.userId,
        created_by_name: principal.name,
        created_at: nowIso(),
        started_at: null,
        finished_at: null,
      };
      try {
        await repo.insertImport(kysely, row);
      } catch (error) {
        // The same Idempotency-Key sent twice at once (a client retrying a slow upload): the
        // one that lost the race answers as the replay it is.
        const first =
          input.idempotencyKey && isUniqueViolation(error)
            ? await repo.findImportByIdempotencyKey(kysely, accountId, input.idempotencyKey)
            : undefined;
        if (!first) throw error;
        await this.files.remove(key);
        return { import: importRowToView(first), replayed: true };
      }
      // Never started, it goes after a week (import-expiry.task.ts); once started, it stays.
      // Housekeeping apart from the upload: an upload is never refused for its expiry job;
      // without it, the upload stays until removed by hand.
      await enqueue(
        kysely,
        accountId,
        expireUploadTask,
        { importId: id },
        { runAt: new Date(Date.now() + UPLOAD_EXPIRY_MS) },
      ).catch((error: unknown) => {
        console.warn(`import ${id}: its expiry job was not queued: ${String(error)}`);
      });
      const view = input.start
        ? await this.start(
            principal,
            id,
            options ?? { mode: 'create', dryRun: false, overwriteEmpty: false },
          )
        : importRowToView(row);
      return { import: view, replayed: false };
    } catch (error) {
      await this.files.remove(key);
      throw error;
    }
  }

  private async readFormat(key: string, size: number) {
    if (size === 0)
      throw new ValidationError([fieldError('file', 'file_empty', 'the file is empty')]);
    // Read by path (encoding and delimiter detection seek): a local copy off other backends.
    const copy = await this.files.localCopy(key);
    const path = copy.path;
    try {
      const { encoding } = await detectEncoding(path);
      const delimiter = await detectDelimiter(path, encoding);
      let header: string[] | undefined;
      let dataRows = 0;
      for await (const record of readRecords(path, encoding, delimiter)) {
        if (header) {
          dataRows += 1;
          continue;
        }
        // Every row's problems are that row's, except the header's: without it no row can be read.
        if (record.problem) {
          const { row, problem } = record;
          throw new ValidationError([
            fieldError(
              'file',
              'header_unreadable',
              `row ${row}, column ${problem.cell + 1} of the header: ${problem.reason}`,
              { row, column: problem.cell + 1 },
            ),
          ]);
        }
        header = record.cells.map((c) => c.trim());
      }
      if (!header)
        throw new ValidationError([
          fieldError('file', 'header_missing', 'the file has no header row'),
        ]);
      const blank = header.findIndex((h) => h === '');
      if (blank >= 0 && header.slice(blank).some((h) => h !== '')) {
        throw new ValidationError([
          fieldError(
            'file',
            'header_column_unnamed',
            `column ${blank + 1} of the header row has no name`,
            {
              column: blank + 1,
            },
          ),
        ]);
      }
      return { encoding, delimiter, header: header.filter((h) => h !== ''), dataRows };
    } catch (error) {
      if (error instanceof CsvFormatError)
        throw new ValidationError([
          error.row === undefined
            ? fieldError('file', 'file_unreadable', error.message)
            : fieldError('file', 'csv_invalid_at', error.message, { row: error.row }),
        ]);
      throw error;
    } finally {
      await copy.release();
    }
  }

  async get(principal: Principal, id: string): Promise<CustomerImport> {
    requireWholeAccount(principal);
    const row = await repo.findImport(this.db.kysely, principal.accountId, id);
    if (!row) throw new NotFoundError('import', id);
    return importRowToView(row);
  }

  async list(principal: Principal) {
    requireWholeAccount(principal);
    return (await repo.listImports(this.db.kysely, principal.accountId, 50)).map(importRowToView);
  }

  /** The columns as recognised, samples, and the problems in the first rows. */
  async preview(
    principal: Principal,
    id: string,
    mappingOverride?: (string | null)[],
    modeOverride?: ImportOptions['mode'],
  ): Promise<ImportPreview> {
    requireWholeAccount(principal);
    const found = await repo.findImport(this.db.kysely, principal.accountId, id);
    if (!found) throw new NotFoundError('import', id);
    const row = {
      ...found,
      ...(mappingOverride ? { mapping: JSON.stringify(mappingOverride) } : {}),
      ...(modeOverride ? { mode: modeOverride } : {}),
    };
    const view = importRowToView(row);
    const fields = await this.customFields.list(principal.accountId, 'customer');
    const mapping = (mappingOverride ?? view.mapping) as ColumnTarget[];
    const settings = await this.customers.settings(principal.accountId);
    const copy = await this.files.localCopy(row.file_key);
    try {
      return await this.previewOf(copy.path, row, view, mapping, fields, settings);
    } finally {
      await copy.release();
    }
  }

  /**
   * The sample as the import would decide it, rolled back. Another writer committing one of its
   * addresses meanwhile (an email arriving, another import) fails the rehearsal's insert as a
   * duplicate on PostgreSQL: tried again, it sees that customer and counts the row as an update.
   * Still racing after three tries, the preview answers without it (parse problems only).
   */
  private async rehearse(
    row: CustomerImportRow,
    settings: Awaited<ReturnType<CustomerService['settings']>>,
    fields: Awaited<ReturnType<CustomFieldService['list']>>,
    drafts: CustomerDraft[],
    problems: RowError[],
  ) {
    const types = await listTypeRows(this.db.kysely, row.account_id);
    const context = batchContextFor(row, settings, fields, types);
    for (let attempt = 1; ; attempt++) {
      try {
        return await rehearseBatch(this.db, context, drafts, problems);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (attempt === 3) return undefined;
      }
    }
  }

  private async previewOf(
    file: string,
    row: CustomerImportRow,
    view: CustomerImport,
    mapping: ColumnTarget[],
    fields: Awaited<ReturnType<CustomFieldService['list']>>,
    settings: Awaited<ReturnType<CustomerService['settings']>>,
  ): Promise<ImportPreview> {
    const samples: string[][] = view.header.map(() => []);
    const problems: RowError[] = [];
    const drafts: CustomerDraft[] = [];
    let seen = 0;
    let header = true;
    for await (const record of readRecords(
      file,
      view.encoding as CsvEncoding,
      view.delimiter as Delimiter,
    )) {
      if (header) {
        header = false;
        continue;
      }
      seen += 1;
      record.cells.forEach((cell, index) => {
        const bucket = samples[index];
        if (bucket && bucket.length < 3 && cell.trim()) bucket.push(cell.trim().slice(0, 100));
      });
      const { draft, errors } = parseRow(record, {
        header: view.header,
        mapping,
        fields: new Map(fields.map((f) => [f.key, f])),
        phoneCountry: settings.phoneDefaultCountry,
        overwriteEmpty: view.overwriteEmpty,
      });
      if (errors.length) problems.push(...errors);
      else drafts.push(draft);
      if (seen >= PREVIEW_SAMPLE_ROWS) break;
    }
    const mappingCheck = checkMapping(view.header, mapping, fields);
    // The sample as the import would decide it, rolled back; only with a mapping that can start.
    const sample: ImportSample = { rows: seen, created: 0, updated: 0, unchanged: 0, failed: 0 };
    let rowProblems = problems;
    // Only before the start: once queued or running, the import itself writes these rows and a
    // rehearsal beside it would race it (on PostgreSQL its insert of the same address waits for
    // the import's transaction and then fails as a duplicate); its own counts are the answer.
    const result =
      mappingCheck.length === 0 && seen > 0 && row.status === 'preview'
        ? await this.rehearse(row, settings, fields, drafts, problems)
        : undefined;
    if (result) {
      Object.assign(sample, {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        failed: result.failed,
      });
      rowProblems = result.errors.sort((a, b) => a.row - b.row);
    } else sample.failed = new Set(problems.map((p) => p.row)).size;
    const recognised = autoMap(view.header, fields, { keepUnknown: false });
    const unknown = view.header.filter(
      (h, index) => (recognised[index] ?? null) === null && !READ_ONLY_COLUMNS.has(headerKey(h)),
    );
    const mappingProblems = mappingCheck.map((p) => ({
      row: 1,
      column: p.column,
      value: null,
      reason: p.message,
    }));
    return {
      import: { ...view, mapping },
      encodingWarning: await this.encodingWarning(file, view.encoding),
      columns: view.header.map((header, index) => ({
        header,
        target: mapping[index] ?? null,
        samples: samples[index] ?? [],
        recognised: (recognised[index] ?? null) !== null,
      })),
      unknownColumns: unknown,
      keptAsAttribute: view.header.filter(
        (h, index) => unknown.includes(h) && mapping[index] === `attribute:${h.trim()}`,
      ),
      sample,
      problems: [...mappingProblems, ...rowProblems].slice(0, 20),
      targets: targetsFor(fields),
    };
  }

  /**
   * A file read as Windows-1252 is said so, with the row of its first byte that is not UTF-8: a
   * UTF-8 file damaged elsewhere would show wrong letters there, and the person can check.
   */
  private async encodingWarning(file: string, encoding: string): Promise<EncodingWarning | null> {
    if (encoding !== 'windows-1252') return null;
    const scan = await scanUtf8(file, true);
    return { encoding: 'windows-1252', firstInvalidRow: scan.firstInvalidRow ?? null };
  }

  /** Starts (or restarts with new options) an import that is still in preview. */
  async start(principal: Principal, id: string, options: ImportOptions): Promise<CustomerImport> {
    requireWholeAccount(principal);
    const kysely = this.db.kysely;
    const row = await repo.findImport(kysely, principal.accountId, id);
    if (!row) throw new NotFoundError('import', id);
    if (row.status !== 'preview') {
      throw new AppError(
        409,
        'import_already_started',
        'Already started',
        `The import is ${row.status}; upload the file again to import it again`,
      );
    }
    const header = JSON.parse(row.header) as string[];
    const fields = await this.customFields.list(principal.accountId, 'customer');
    const mapping = (options.mapping ?? JSON.parse(row.mapping)) as ColumnTarget[];
    const problems = checkMapping(header, mapping, fields);
    if (problems.length) {
      throw new ValidationError(
        problems.map((p) => fieldError(`mapping (${p.column})`, 'mapping_invalid', p.message)),
      );
    }
    await kysely.transaction().execute(async (trx) => {
      await repo.updateImport(trx, principal.accountId, id, {
        status: 'queued',
        mapping: JSON.stringify(mapping),
        mode: options.mode,
        dry_run: options.dryRun ? 1 : 0,
        overwrite_empty: options.overwriteEmpty ? 1 : 0,
      });
      await enqueue(trx, principal.accountId, importTask, { importId: id });
    });
    this.onEnqueued();
    return this.get(principal, id);
  }

  /**
   * Removes an upload that was never started, with its file (the recent list's Remove). One that
   * was started is kept: it is the record of what was imported.
   */
  async remove(principal: Principal, id: string): Promise<void> {
    const current = await this.get(principal, id);
    const removed = await removeNeverStarted(
      { db: this.db, files: this.files },
      principal.accountId,
      id,
    );
    if (!removed)
      throw new AppError(
        409,
        'import_not_removable',
        'Already started',
        `The import is ${current.status === 'preview' ? 'started' : current.status}; only an upload that was never started can be removed`,
      );
  }

  /**
   * The "fix and re-upload" file: the header and every row that was not imported exactly as the
   * file had them, with a reason column before them (fix-file.ts); its header and the reasons in
   * `format`'s language, or the machine name and English (the file's own delimiter either way).
   */
  async *fixFile(
    principal: Principal,
    id: string,
    format: Pick<CsvFormat, 'headers' | 'language'> = MACHINE_CSV,
  ): AsyncGenerator<string> {
    const row = await repo.findImport(this.db.kysely, principal.accountId, id);
    requireWholeAccount(principal);
    if (!row) throw new NotFoundError('import', id);
    const reasons = new Map<number, string[]>();
    let after = { row: 0, seq: 0 };
    for (;;) {
      const page = await repo.pageErrors(this.db.kysely, principal.accountId, id, after, 1000);
      for (const e of page) {
        const at = Number(e.row_number);
        const text = `${e.column_name}: ${reportedReason(format, e)}`;
        const list = reasons.get(at);
        if (!list) reasons.set(at, [text]);
        else if (!list.includes(text)) list.push(text);
      }
      const last = page[page.length - 1];
      if (!last || page.length < 1000) break;
      after = { row: Number(last.row_number), seq: Number(last.seq) };
    }
    const copy = await this.files.localCopy(row.file_key);
    try {
      yield* fixFileLines(
        copy.path,
        row.encoding as CsvEncoding,
        row.delimiter as Delimiter,
        reasons,
        fixFileReasonHeader(format),
      );
    } finally {
      await copy.release();
    }
  }

  /**
   * The error report: one line per problem, with row, column, value and reason; headers, the
   * reasons' language and the delimiter as `format` says (the route asks for the agent's).
   */
  async *errorReport(
    principal: Principal,
    id: string,
    format: CsvFormat = MACHINE_CSV,
  ): AsyncGenerator<string> {
    await this.get(principal, id);
    yield headerLine(
      format,
      ['row', 'column', 'value', 'reason'].map((name) => columnHeader(format, name)),
    );
    let after = { row: 0, seq: 0 };
    for (;;) {
      const page = await repo.pageErrors(this.db.kysely, principal.accountId, id, after, 1000);
      for (const e of page)
        yield formatLine(format, [e.row_number, e.column_name, e.value, reportedReason(format, e)]);
      const last = page[page.length - 1];
      if (!last || page.length < 1000) return;
      after = { row: Number(last.row_number), seq: Number(last.seq) };
    }
  }
}

function targetsFor(fields: CustomField[]) {
  return [
    ...BUILT_IN_COLUMNS.map((value) => ({ value, label: value })),
    ...fields.map((f) => ({ value: `field:${f.key}`, label: f.label, labelNb: f.labelNb })),
  ];
}
