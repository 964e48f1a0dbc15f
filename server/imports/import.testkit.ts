// Test support for imports (not production code): upload a real file, run the real worker, and
// read the error report back the way a person downloads it (parsed CSV, so values with newlines
// or quotes come back whole).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { CustomerImport, ImportOptions } from '../../common/customer-import.ts';
import type { Principal } from '../agents/principal.ts';
import type { Services } from '../services.ts';

export interface ReportedError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** Uploads `file` (a path or the bytes), starts it and waits for the worker to finish. */
export async function runImport(
  services: Services,
  principal: Principal,
  file: string | Buffer,
  options: Partial<ImportOptions> = {},
): Promise<CustomerImport> {
  const uploaded = await services.imports.upload(principal, {
    filename: typeof file === 'string' ? file : 'generated.csv',
    body: typeof file === 'string' ? fs.createReadStream(file) : Readable.from([file]),
  });
  await services.imports.start(principal, uploaded.import.id, {
    mode: 'create',
    dryRun: false,
    overwriteEmpty: false,
    ...options,
  });
  await services.worker.drain();
  return services.imports.get(principal, uploaded.import.id);
}

/** The import's error report (errors.csv), parsed. */
export async function reportedErrors(
  services: Services,
  principal: Principal,
  importId: string,
): Promise<ReportedError[]> {
  let text = '';
  for await (const line of services.imports.errorReport(principal, importId)) text += line;
  const rows: string[][] = parse(text.replace(/^\uFEFF/, ''), { from_line: 2 });
  return rows.map(([row, column, value, reason]) => ({
    row: Number(row),
    column: column ?? '',
    value: value ?? '',
    reason: reason ?? '',
  }));
}
