// `kunde export CUSTOMER [--out FILE.zip]`: builds a customer's data archive straight on the
// database DATA_DIR / DATABASE_URL name and writes it to a file. The customer is named by id,
// reference number, email or phone. The request and the download are in the customer's audit
// trail like any other (actor "Command line"); the archive also stays listed on the customer.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { systemPrincipal } from '../agents/principal.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { createServices } from '../services.ts';

export interface ExportCliOptions {
  out?: string;
  account?: string;
}

export async function runExportCommand(
  reference: string,
  options: ExportCliOptions,
): Promise<string> {
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    const services = createServices(db, {
      dataDir: config.dataDir,
      tuning: config.tuning,
      publicUrl: config.publicUrl,
      files: config.files,
    });
    const accounts = await services.accounts.list();
    const account = options.account
      ? accounts.find((a) => a.id === options.account)
      : accounts.length === 1
        ? accounts[0]
        : undefined;
    if (!account)
      throw new AppError(
        400,
        'account_ambiguous',
        'Which account',
        options.account
          ? `No account has the id ${options.account}`
          : accounts.length
            ? 'Several accounts exist; name one with --account (ids: kunde account list)'
            : 'There is no account yet',
      );
    const principal = { ...systemPrincipal(account.id, 'Command line') };
    const customerId = await services.exports.resolveCustomer(account.id, reference);
    const { export: requested } = await services.exports.request(principal, customerId);
    await services.worker.drain();
    const [built] = (await services.exports.list(principal, customerId)).filter(
      (e) => e.id === requested.id,
    );
    if (built?.state !== 'ready')
      throw new AppError(
        500,
        'export_failed',
        'Export failed',
        `The archive could not be made: ${built?.error ?? 'it is still being prepared'}`,
      );
    const download = await services.exports.download(principal, requested.id);
    const target = path.resolve(options.out ?? download.filename);
    await pipeline(download.body, fs.createWriteStream(target));
    return target;
  } finally {
    await db.close();
  }
}
