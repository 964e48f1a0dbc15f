// `kunde duplicates backfill [--account ID]` from a shell: the duplicate suggestion backfill run
// again by an operator (after restoring an old backup, say), for one account or every one. It
// asks for the backfill (from the first customer, with a job queued for a running server) and
// walks it in this process, printing progress; a server's worker on the same database shares
// the walk batch by batch (the backfill row is locked per batch). Ctrl-C stops at the next
// batch; the queued job carries on from there when a server runs.
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { createServices } from '../services.ts';

export interface BackfillCliOptions {
  account?: string;
}

/** Returns the exit code: 0 when every account's walk finished, 1 when it was stopped. */
export async function runDuplicateBackfillCommand(options: BackfillCliOptions): Promise<number> {
  const config = loadConfig();
  const db = openDatabase(config);
  let stopped = false;
  const onInterrupt = () => {
    stopped = true;
    console.error('kunde: stopping after this batch');
  };
  process.once('SIGINT', onInterrupt);
  try {
    await migrateToLatest(db);
    const services = createServices(db, { dataDir: config.dataDir, tuning: config.tuning });
    const accounts = await services.accounts.list();
    const targets = options.account ? accounts.filter((a) => a.id === options.account) : accounts;
    if (options.account && !targets.length)
      throw new AppError(
        400,
        'account_not_found',
        'No such account',
        `--account: no account has the id ${options.account} (ids: kunde account list)`,
      );
    for (const account of targets) {
      await services.duplicateBackfill.request(account.id);
      let shown = 0;
      const outcome = await services.duplicateBackfill.run(account.id, {
        stopping: () => stopped,
        afterBatch: (state) => {
          if (state.customersDone - shown >= 10_000) {
            shown = state.customersDone;
            console.error(`kunde: ${account.name}: ${state.customersDone} customers so far`);
          }
        },
      });
      const state = await services.duplicateBackfill.state(account.id);
      if (outcome === 'stopped') {
        console.log(
          `${account.id}\t${account.name}: stopped after ${state?.customersDone ?? 0} customers; a running Kunde carries on from there`,
        );
        return 1;
      }
      console.log(`${account.id}\t${account.name}: ${state?.customersDone ?? 0} customers kept up`);
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await db.close();
  }
}
