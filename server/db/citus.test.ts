// docs/SCALING.md's Citus statements are the schema's (issue 18, item 7): regenerated from a
// freshly migrated PostgreSQL database, they must match the doc, so a table added by a later
// migration fails here until the doc has its statement; and no distributed table may have a
// unique key Citus would refuse. PostgreSQL only: Citus is PostgreSQL.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEGIN, DOC, END, citusBlock, citusPlan, type CitusPlan } from '../../scripts/citus-ddl.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';

const REGENERATE =
  'regenerate it: DATABASE_URL=<a migrated PostgreSQL> node --import tsx scripts/citus-ddl.ts --write';

describe.skipIf(!testDialects().includes('postgres'))('Citus statements', () => {
  let db: TestDb;
  let plan: CitusPlan;
  beforeAll(async () => {
    db = await createTestDb('postgres');
    plan = await citusPlan(db.kysely);
  });
  afterAll(() => db.destroy());

  it('places every table: distributed by account_id, a reference table, or the migrator’s', () => {
    expect(plan.unplaced, 'tables with no account_id that REFERENCE_TABLES does not list').toEqual(
      [],
    );
    expect(plan.distributed[0]).toBe('accounts');
    expect(plan.distributed).toEqual(expect.arrayContaining(['customers', 'tickets', 'jobs']));
    expect(plan.reference).toEqual(['hub_addresses', 'inbound_addresses', 'login_directory']);
  });

  it('has account_id in every primary and unique key of a distributed table', () => {
    expect(plan.blockers).toEqual([]);
  });

  it('matches docs/SCALING.md, one statement per table', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    const block = doc.slice(doc.indexOf(BEGIN), doc.indexOf(END) + END.length);
    const missing = [...plan.distributed, ...plan.reference].filter(
      (table) => !block.includes(`('${table}'`),
    );
    expect(
      missing,
      `docs/SCALING.md has no Citus statement for these tables; ${REGENERATE}`,
    ).toEqual([]);
    expect(block, `docs/SCALING.md's Citus statements differ from the schema; ${REGENERATE}`).toBe(
      citusBlock(plan),
    );
  });
});
