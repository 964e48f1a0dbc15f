// The `kunde` command: administration from a shell. Every flag can also come from the environment.
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { AppError } from './http/errors.ts';
import { createServices, type Services } from './services.ts';
import { runImportCommand, type ImportCliOptions } from './imports/import.cli.ts';

async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await migrateToLatest(db);
    return await work(createServices(db, { tuning: config.tuning }));
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
  .action(async () => {
    const db = openDatabase(loadConfig());
    const applied = await migrateToLatest(db).finally(() => db.close());
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date');
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
  .action(
    async (options: {
      email: string;
      name?: string;
      password?: string;
      role: string;
      accountName: string;
    }) => {
      const password = options.password ?? randomBytes(12).toString('base64url');
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
          const accounts = await s.db.kysely
            .selectFrom('accounts')
            .select('account_id')
            .limit(2)
            .execute();
          const only = accounts.length === 1 ? accounts[0] : undefined;
          if (!only)
            throw new AppError(
              400,
              'account_ambiguous',
              'Several accounts',
              'Several accounts exist; create agents in the console',
            );
          const roles = await s.agents.listRoles(only.account_id);
          const role = roles.find((r) => r.builtIn === options.role);
          await s.agents.createUser(only.account_id, {
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
