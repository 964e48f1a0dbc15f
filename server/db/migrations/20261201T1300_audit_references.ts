// One audit vocabulary: an entry records an organization or a type by id ("organizationId",
// "typeId") and keeps, in ref_names, the name each id had when the entry was written. The trail
// shows the name an id has when it is read (a renamed organization is the same organization),
// and the kept name once the organization or type is gone.
//
// Imports used to record "organization" and "type" by name (and the value before by id); those
// entries are rewritten here to the one vocabulary, by looking the names up in the account. A
// name no organization or type has any more stays readable: it is kept as its own ref_names entry.
// The rewrite reads only entries that mention such a key, in pages of 1,000 along the primary
// key (issue 18: large tables are rewritten in batches). The page starts after the last key seen
// as a row-value comparison on (account_id, id), so each page is an index range, not a scan and
// sort of the whole trail (the first version keyed on account_id || ' ' || id, which no index
// serves). Databases past this migration never rerun it; the result is the same.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

type Change = { from: unknown; to: unknown };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('customer_audit')
    .addColumn('ref_names', t.json, (c) => c.notNull().defaultTo('{}'))
    .execute();
  await rewriteLegacyEntries(db);
}

/** Entries that record "organization" or "type" by name, rewritten to ids (exported for its test). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function rewriteLegacyEntries(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  const legacy = t.postgres
    ? sql<boolean>`(changes ? 'organization' or changes ? 'type')`
    : sql<boolean>`(changes like '%"organization":%' or changes like '%"type":%')`;
  let after: { account_id: string; id: string } | undefined;
  for (;;) {
    const rows = (await db
      .selectFrom('customer_audit')
      .select(['account_id', 'id', 'changes'])
      .where(legacy)
      .$if(after !== undefined, (q) =>
        q.where(sql<boolean>`(account_id, id) > (${after?.account_id}, ${after?.id})`),
      )
      .orderBy('account_id')
      .orderBy('id')
      .limit(1000)
      .execute()) as { account_id: string; id: string; changes: string }[];
    if (rows.length === 0) return;
    for (const row of rows) await rewrite(db, row);
    after = rows[rows.length - 1];
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
async function rewrite(db: Kysely<any>, row: { account_id: string; id: string; changes: string }) {
  const changes = JSON.parse(row.changes) as Record<string, Change>;
  const refNames: Record<string, string> = {};
  const tables = { organization: 'organizations', type: 'customer_types' } as const;
  for (const key of ['organization', 'type'] as const) {
    const change = changes[key];
    if (!change) continue;
    const ids: Change = { from: null, to: null };
    for (const side of ['from', 'to'] as const) {
      const value = change[side];
      if (typeof value !== 'string' || value === '') continue;
      // The value before was the column (an id); the value after was the name in the file.
      const found: { id: string; name: string } | undefined = await db
        .selectFrom(tables[key])
        .select(['id', 'name'])
        .where('account_id', '=', row.account_id)
        .where((eb) => eb.or([eb('id', '=', value), eb('name_key', '=', value.toLowerCase())]))
        .executeTakeFirst();
      ids[side] = found?.id ?? value;
      if (found) refNames[found.id] = found.name;
      // A name from the file that nothing has any more is its own name; an id that nothing has
      // any more has none to keep (the trail says the organization or type was deleted).
      else if (side === 'to') refNames[value] = value;
    }
    delete changes[key];
    changes[`${key}Id`] = ids;
  }
  await db
    .updateTable('customer_audit')
    .set({ changes: JSON.stringify(changes), ref_names: JSON.stringify(refNames) })
    .where('account_id', '=', row.account_id)
    .where('id', '=', row.id)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customer_audit').dropColumn('ref_names').execute();
}
