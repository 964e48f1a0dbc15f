// Organizations with their email domains, customer types and custom fields; customers gain an
// organization, a type and their email domain (indexed, so a domain's customers are found fast).
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('organizations')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('custom_fields', t.json, (c) => c.notNull())
    .addColumn('auto_created', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('organizations_pk', ['account_id', 'id'])
    .addUniqueConstraint('organizations_name_uq', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('organization_domains')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_domains_pk', ['account_id', 'domain'])
    .execute();
  await db.schema
    .createIndex('organization_domains_org_idx')
    .on('organization_domains')
    .columns(['account_id', 'organization_id'])
    .execute();

  await db.schema
    .createTable('customer_types')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_types_pk', ['account_id', 'id'])
    .addUniqueConstraint('customer_types_name_uq', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('label_nb', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('options', t.json, (c) => c.notNull())
    .addColumn('pattern', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_fields_pk', ['account_id', 'id'])
    .addUniqueConstraint('custom_fields_key_uq', ['account_id', 'entity', 'key'])
    .execute();

  await db.schema.alterTable('customers').addColumn('organization_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('type_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('email_domain', 'text').execute();
  const domainOf = t.postgres
    ? sql`split_part(email, '@', 2)`
    : sql`substr(email, instr(email, '@') + 1)`;
  // In batches of 1,000 customers along the primary key (issue 18: migrations that rewrite large
  // tables do so in batches), not one UPDATE over the whole table: each statement reads one
  // index range and holds 1,000 rows' changes, whatever the table's size. The migration is still
  // one transaction (migrate.ts), so it applies whole or not at all, and its row locks last
  // until it commits. Same result as the single UPDATE it replaced (a database past this
  // migration never runs it again).
  let after: { account_id: string; id: string } | undefined;
  for (;;) {
    const page = (await db
      .selectFrom('customers')
      .select(['account_id', 'id'])
      .$if(after !== undefined, (q) =>
        q.where(sql<boolean>`(account_id, id) > (${after?.account_id}, ${after?.id})`),
      )
      .orderBy('account_id')
      .orderBy('id')
      .limit(1000)
      .execute()) as { account_id: string; id: string }[];
    const first = page[0];
    const last = page[page.length - 1];
    if (!first || !last) break;
    await sql`update customers set email_domain = ${domainOf}
      where email is not null
        and (account_id, id) >= (${first.account_id}, ${first.id})
        and (account_id, id) <= (${last.account_id}, ${last.id})`.execute(db);
    after = last;
  }
  await db.schema
    .createIndex('customers_org_number_idx')
    .on('customers')
    .columns(['account_id', 'organization_id', 'number'])
    .execute();
  await db.schema
    .createIndex('customers_email_domain_idx')
    .on('customers')
    .columns(['account_id', 'email_domain'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_email_domain_idx').ifExists().execute();
  await db.schema.dropIndex('customers_org_number_idx').ifExists().execute();
  for (const column of ['email_domain', 'type_id', 'organization_id']) {
    await db.schema.alterTable('customers').dropColumn(column).execute();
  }
  for (const table of [
    'custom_fields',
    'customer_types',
    'organization_domains',
    'organizations',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
