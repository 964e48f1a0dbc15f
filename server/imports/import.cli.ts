// `kunde import FILE.csv`: against a running Kunde (KUNDE_URL + KUNDE_TOKEN) over the API, or
// straight on the database DATA_DIR / DATABASE_URL name. Shows a progress bar and the summary,
// with each failed row's number, column and reason. Exit code 0: imported; 2: some rows failed.
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { parse } from 'csv-parse/sync';
import type { CustomerImport } from '../../common/customer-import.ts';
import { systemPrincipal } from '../agents/principal.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError, ValidationError } from '../errors.ts';
import { createServices } from '../services.ts';
import { READ_ONLY_COLUMNS, headerKey } from './columns.ts';
import { REPLAY_WINDOW_MS } from './import.service.ts';

export interface ImportCliOptions {
  update?: boolean;
  dryRun?: boolean;
  overwriteEmpty?: boolean;
  url?: string;
  token?: string;
  email?: string;
}

type Progress = (view: CustomerImport) => void;

function progressBar(quiet: boolean): { update: Progress; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'Importing |{bar}| {percentage}% | {value}/{total} rows | {eta_formatted} left',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (view) => {
      if (!started) {
        bar.start(view.totalRows, 0);
        started = true;
      }
      bar.update(view.processedRows);
    },
    stop: () => started && bar.stop(),
  };
}

function summary(view: CustomerImport, errorLines: string[], replayed: boolean): string {
  const lines = replayed
    ? [
        `The same file was imported at ${view.createdAt} and is not imported twice within ${REPLAY_WINDOW_MS / 60_000} minutes. That import's summary:`,
      ]
    : [];
  lines.push(
    `${view.dryRun ? 'Dry run (nothing written): ' : ''}${view.totalRows} rows: ${view.created} created, ${view.updated} updated, ${view.unchanged} unchanged, ${view.failed} failed`,
  );
  const skipped = view.header.filter(
    (h, i) => view.mapping[i] === null && !READ_ONLY_COLUMNS.has(headerKey(h)),
  );
  if (skipped.length)
    lines.push(
      `Columns not imported (not recognised): ${skipped.map((h) => quoted(h)).join(', ')}`,
    );
  if (view.status === 'failed') lines.push(`The import failed: ${view.error ?? 'unknown error'}`);
  for (const line of errorLines) lines.push(`  ${line}`);
  return lines.join('\n');
}

/** A text on one line, quoted: a value or header with a newline or a quote cannot break it. */
function quoted(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** One failed row, on one line: `row 3, column "email": not an email address (value "x")`. */
function describeError([row, column, value, reason]: string[]): string {
  const shown = value ? ` (value ${quoted(value)})` : '';
  return `row ${row}, column ${quoted(column ?? '')}: ${reason ?? ''}${shown}`;
}

/** The error report (errors.csv) as lines to print; parsed as CSV, so newlines stay in cells. */
function describeReport(report: string): string[] {
  const rows: string[][] = parse(report.replace(/^\uFEFF/, ''), {
    from_line: 2,
    relax_column_count: true,
  });
  return rows.map(describeError);
}

/** Text with a line break or a control character is printed escaped, so it stays one line. */
function oneLine(text: string): string {
  return /[\u0000-\u001f\u007f]/.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/** A refused file, said once: the CLI prints the detail and then each problem. */
function refused(file: string, status: number, errors: { field: string; message: string }[]) {
  return new AppError(
    status,
    'import_refused',
    'Refused',
    `${path.basename(file)} was not imported`,
    {
      errors: errors.map((e) => ({ field: oneLine(e.field), message: oneLine(e.message) })),
    },
  );
}

async function overHttp(
  file: string,
  options: ImportCliOptions,
  bar: ReturnType<typeof progressBar>,
) {
  const base = (options.url ?? '').replace(/\/$/, '');
  const headers = { authorization: `Bearer ${options.token ?? ''}` };
  const query = new URLSearchParams({
    start: 'true',
    mode: options.update ? 'upsert' : 'create',
    dryRun: String(Boolean(options.dryRun)),
    overwriteEmpty: String(Boolean(options.overwriteEmpty)),
    filename: path.basename(file),
  });
  const upload = await fetch(`${base}/api/v1/customer-imports?${query}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: fs.readFileSync(file),
  });
  const answer = (await upload.json()) as {
    import?: CustomerImport;
    detail?: string;
    errors?: { field: string; message: string }[];
  };
  if (!upload.ok && answer.errors?.length) throw refused(file, upload.status, answer.errors);
  if (!upload.ok || !answer.import) {
    throw new AppError(
      upload.status,
      'import_refused',
      'Refused',
      answer.detail ?? upload.statusText,
    );
  }
  let view = answer.import;
  while (view.status === 'queued' || view.status === 'running' || view.status === 'preview') {
    await new Promise((r) => setTimeout(r, 300));
    view = (await (
      await fetch(`${base}/api/v1/customer-imports/${view.id}`, { headers })
    ).json()) as CustomerImport;
    bar.update(view);
  }
  // The machine layout whatever the token's agent reads: describeReport splits on commas.
  const reportUrl = `${base}/api/v1/customer-imports/${view.id}/errors.csv?headers=machine&delimiter=comma`;
  const report = await (await fetch(reportUrl, { headers })).text();
  return {
    view,
    // 200 instead of 201: the upload was a replay of an earlier import.
    replayed: upload.status === 200,
    errors: describeReport(report),
  };
}

async function onDatabase(
  file: string,
  options: ImportCliOptions,
  bar: ReturnType<typeof progressBar>,
) {
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const services = createServices(db, {
      dataDir: config.dataDir,
      tuning: config.tuning,
      files: config.files,
    });
    const accounts = await db.kysely.selectFrom('accounts').select('account_id').limit(2).execute();
    const only = accounts.length === 1 ? accounts[0] : undefined;
    if (!only)
      throw new AppError(
        400,
        'account_ambiguous',
        'No single account',
        accounts.length
          ? 'Several accounts exist; use KUNDE_URL and KUNDE_TOKEN'
          : 'There is no account yet; run `kunde user create` first',
      );
    const principal = systemPrincipal(only.account_id, 'Command line');
    const uploaded = await services.imports
      .upload(principal, {
        filename: path.basename(file),
        body: fs.createReadStream(file),
        start: true,
        options: {
          mode: options.update ? 'upsert' : 'create',
          dryRun: Boolean(options.dryRun),
          overwriteEmpty: Boolean(options.overwriteEmpty),
        },
      })
      .catch((error: unknown) => {
        if (error instanceof ValidationError) throw refused(file, error.status, error.errors);
        throw error;
      });
    const timer = setInterval(() => {
      services.imports.get(principal, uploaded.import.id).then(bar.update, () => undefined);
    }, 300);
    try {
      await services.worker.drain();
    } finally {
      clearInterval(timer);
    }
    const view = await services.imports.get(principal, uploaded.import.id);
    bar.update(view);
    let report = '';
    for await (const line of services.imports.errorReport(principal, view.id)) report += line;
    return { view, replayed: uploaded.replayed, errors: describeReport(report) };
  } finally {
    await db.close();
  }
}

export async function runImportCommand(file: string, options: ImportCliOptions): Promise<number> {
  if (!fs.existsSync(file))
    throw new AppError(400, 'file_not_found', 'No such file', `No file ${file}`);
  const bar = progressBar(false);
  try {
    const { view, errors, replayed } =
      options.url && options.token
        ? await overHttp(file, options, bar)
        : await onDatabase(file, options, bar);
    bar.stop();
    console.log(summary(view, errors, replayed));
    if (view.status === 'failed') return 1;
    return view.failed > 0 ? 2 : 0;
  } finally {
    bar.stop();
  }
}
