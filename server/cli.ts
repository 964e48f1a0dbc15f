// The `kunde` command: administration from a shell. Every flag can also come from the environment.
import { Command, Option } from 'commander';
import { accountCreateSchema } from '../common/account.ts';
import { generatePassword } from './agents/password.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest, pendingMigrations } from './db/migrate.ts';
import { AppError } from './errors.ts';
import { parseOrThrow } from './http/validation.ts';
import { createServices, type Services } from './services.ts';
import { runImportCommand, type ImportCliOptions } from './imports/import.cli.ts';
import { createBackup } from './backup/backup.ts';
import { restoreBackup } from './backup/restore.ts';
import { runExportCommand, type ExportCliOptions } from './exports/export.cli.ts';
import type { FileBackend } from './files/file-store.ts';
import { runFilesMigrateCommand } from './files/files.cli.ts';
import {
  runDuplicateBackfillCommand,
  type BackfillCliOptions,
} from './duplicates/duplicate-backfill.cli.ts';

async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    return await work(
      createServices(db, { dataDir: config.dataDir, tuning: config.tuning, files: config.files }),
    );
  } finally {
    await db.close();
  }
}

const program = new Command('kunde')
  .description('Kunde: the customer side of a helpdesk')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nThe database is the one DATA_DIR / DATABASE_URL name, as for `npm start`.',
  );

program
  .command('migrate')
  .description('bring the database schema up to date')
  .option('--dry-run', 'list the migrations that would run, in order, and apply none')
  .action(async (options: { dryRun?: boolean }) => {
    const db = openDatabase(loadConfig());
    try {
      if (options.dryRun) {
        const pending = await pendingMigrations(db);
        console.log(
          pending.length
            ? `Would apply ${pending.length} migration${pending.length === 1 ? '' : 's'}:\n${pending.map((name) => `  ${name}`).join('\n')}`
            : 'The database is up to date; nothing would run',
        );
        return;
      }
      const applied = await migrateToLatest(db);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date');
    } finally {
      await db.close();
    }
  });

program
  .command('backup')
  .description('write one zip with the database and every stored file, while Kunde runs')
  .option(
    '--out <file>',
    'where to write it',
    `kunde-backup-${new Date().toISOString().slice(0, 10)}.zip`,
  )
  .action(async (options: { out: string }) => {
    const manifest = await createBackup(loadConfig(), options.out);
    console.log(
      `Wrote ${options.out}: the ${manifest.dialect} database and ${manifest.files} files (${Math.round(manifest.fileBytes / 1024 / 1024)} MB)`,
    );
  });

program
  .command('restore')
  .description('restore a backup into an empty data directory or database (stop Kunde first)')
  .argument('<file>', 'a zip `kunde backup` wrote')
  .option('--force', 'replace what the data directory or database holds now')
  .action(async (file: string, options: { force?: boolean }) => {
    const manifest = await restoreBackup(loadConfig(), file, options);
    console.log(
      `Restored the ${manifest.dialect} database of ${manifest.createdAt} and ${manifest.files} files; start Kunde (or run \`kunde migrate\`) to bring the schema up to date`,
    );
  });

program
  .command('import')
  .description('import customers from a CSV file, with a progress bar and a summary of failed rows')
  .argument('<file>', 'the CSV file (UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab)')
  .option('--update', 'create and update: match existing customers on email, then phone')
  .option('--dry-run', 'validate everything and write nothing')
  .option('--overwrite-empty', 'empty cells clear existing values (with --update)')
  .addOption(new Option('--url <url>', 'a running Kunde to import into').env('KUNDE_URL'))
  .addOption(new Option('--token <token>', 'API token for --url').env('KUNDE_TOKEN'))
  .addHelpText(
    'after',
    '\nWithout KUNDE_URL and KUNDE_TOKEN it works on the database DATA_DIR / DATABASE_URL name.\nExit code 0: imported; 2: some rows failed (listed); 1: the import failed.',
  )
  .action(async (file: string, options: ImportCliOptions) => {
    process.exitCode = await runImportCommand(file, options);
  });

program
  .command('export')
  .description("write a customer's data archive (zip) to a file, as the console's export does")
  .argument('<customer>', 'the customer: its id, reference number, email address or phone number')
  .option('--out <file>', 'where to write the zip (default: customer-<number>-<date>.zip here)')
  .addOption(
    new Option('--account <id>', 'the account (needed once there are several)').env(
      'KUNDE_ACCOUNT_ID',
    ),
  )
  .action(async (customer: string, options: ExportCliOptions) => {
    const written = await runExportCommand(customer, options);
    console.log(`Wrote ${written}`);
  });

const files = program.command('files').description('the file store (KUNDE_FILE_STORE)');
files
  .command('migrate')
  .description('copy every stored file from the configured backend to another, verified')
  .addOption(
    new Option('--to <backend>', 'where the files go')
      .choices(['local', 'database', 's3'])
      .makeOptionMandatory(),
  )
  .addHelpText(
    'after',
    '\nIdempotent: files already copied are skipped, so a run that stopped is run again.\nExit code 0: all copied; 2: some failed (listed); 1: it could not run.',
  )
  .action(async (options: { to: FileBackend }) => {
    process.exitCode = await runFilesMigrateCommand(options.to);
  });

const duplicates = program.command('duplicates').description('duplicate suggestions (issue 15)');
duplicates
  .command('backfill')
  .description('find the duplicate suggestions of every customer again, from the first one')
  .addOption(
    new Option('--account <id>', 'only this account (every account when left out)').env(
      'KUNDE_ACCOUNT_ID',
    ),
  )
  .addHelpText(
    'after',
    '\nIdempotent: pairs already found are kept, dismissed pairs stay dismissed; safe beside a\nrunning Kunde. Exit code 0: done; 1: stopped (Ctrl-C) or it could not run.',
  )
  .action(async (options: BackfillCliOptions) => {
    process.exitCode = await runDuplicateBackfillCommand(options);
  });

const token = program.command('token').description('API tokens');
token
  .command('create')
  .description('create an API token for an agent and print it (only the token)')
  .addOption(
    new Option('--email <email>', "the agent's email").env('KUNDE_EMAIL').makeOptionMandatory(),
  )
  .addOption(new Option('--name <name>', 'what the token is for').default('CLI token'))
  .action(async (options: { email: string; name: string }) => {
    const created = await withServices((s) =>
      s.agents.createTokenForEmail(options.email, options.name),
    );
    console.log(created.token);
  });

const account = program.command('account').description('accounts (one per support team)');
account
  .command('create')
  .description('create an account with its first administrator; prints the account id')
  .addOption(new Option('--name <name>', 'the account (support team) name').makeOptionMandatory())
  .addOption(new Option('--admin-email <email>', "the administrator's email").makeOptionMandatory())
  .addOption(new Option('--admin-name <name>', "the administrator's name"))
  .addOption(
    new Option(
      '--admin-password <password>',
      'the password (8-256 characters); generated and printed if left out',
    ).env('KUNDE_ADMIN_PASSWORD'),
  )
  .action(
    async (options: {
      name: string;
      adminEmail: string;
      adminName?: string;
      adminPassword?: string;
    }) => {
      const input = parseOrThrow(accountCreateSchema, {
        name: options.name,
        adminEmail: options.adminEmail,
        adminName: options.adminName,
        adminPassword: options.adminPassword,
      });
      const created = await withServices((s) => s.accounts.create(input));
      console.log(
        `Created account "${created.account.name}" with administrator ${created.admin.email}`,
      );
      console.log(`Account: ${created.account.id}`);
      if (created.generatedPassword) console.log(`Password: ${created.generatedPassword}`);
      for (const warning of created.warnings) console.error(`kunde: note: ${warning}`);
    },
  );

account
  .command('list')
  .description('list every account: id, created, name')
  .action(async () => {
    const accounts = await withServices((s) => s.accounts.list());
    for (const a of accounts) console.log(`${a.id}\t${a.createdAt}\t${a.name}`);
  });

const user = program.command('user').description('agents');
user
  .command('create')
  .description('create an agent; on an empty database, the first account and its administrator')
  .addOption(
    new Option('--email <email>', "the agent's email")
      .env('KUNDE_USER_EMAIL')
      .makeOptionMandatory(),
  )
  .addOption(new Option('--name <name>', "the agent's name").env('KUNDE_USER_NAME'))
  .addOption(
    new Option(
      '--password <password>',
      'the password (8-256 characters); generated and printed if left out',
    ).env('KUNDE_USER_PASSWORD'),
  )
  .addOption(
    new Option('--role <role>', 'built-in role')
      .choices(['administrator', 'agent'])
      .default('agent'),
  )
  .addOption(
    new Option('--account-name <name>', 'name of a new account')
      .env('KUNDE_ACCOUNT_NAME')
      .default('Kunde'),
  )
  .addOption(
    new Option(
      '--account <id>',
      'the account to add the agent to (needed once there are several)',
    ).env('KUNDE_ACCOUNT_ID'),
  )
  .action(
    async (options: {
      email: string;
      name?: string;
      password?: string;
      role: string;
      accountName: string;
      account?: string;
    }) => {
      const password = options.password ?? generatePassword();
      const name = options.name ?? options.email.split('@')[0] ?? options.email;
      await withServices(async (s) => {
        if (await s.agents.isSetupNeeded()) {
          await s.agents.createAccount({
            accountName: options.accountName,
            name,
            email: options.email,
            password,
          });
          console.log(
            `Created account "${options.accountName}" with administrator ${options.email}`,
          );
        } else {
          const accounts = await s.accounts.list();
          const target = options.account
            ? accounts.find((a) => a.id === options.account)
            : accounts.length === 1
              ? accounts[0]
              : undefined;
          if (!target)
            throw new AppError(
              400,
              'account_ambiguous',
              'Which account',
              options.account
                ? `No account has the id ${options.account}`
                : 'Several accounts exist; name one with --account (ids: kunde account list)',
            );
          const roles = await s.agents.listRoles(target.id);
          const role = roles.find((r) => r.builtIn === options.role);
          await s.agents.createUser(target.id, {
            email: options.email,
            name,
            password,
            roleId: role?.id,
          });
          console.log(`Created ${options.role} ${options.email}`);
        }
      });
      if (!options.password) console.log(`Password: ${password}`);
    },
  );

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof AppError) {
    const fields = (error.extra.errors as { field: string; message: string }[] | undefined) ?? [];
    console.error(
      `kunde: ${error.message}${fields.map((f) => `\n  ${f.field}: ${f.message}`).join('')}`,
    );
  } else console.error(`kunde: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
