// Redacting a person out of an import's error rows touches only the rows that name them, on both
// databases. An error row is known by import, row and seq, and seq restarts at 1 on each row: an
// update or a page keyed by import and seq alone would rewrite every row's first error with one
// row's redacted text, and page past rows of the same seq.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids.ts';
import { createServices, type Services } from '../services.ts';
import { createTestDb, testDialects, type TestDb } from '../test/databases.ts';
import { createBareAccount } from '../test/factories.ts';
import {
  MENTION_COLUMNS,
  mentionKey,
  rowsMentioning,
  updateMention,
} from './erasure.repository.ts';

const SPEC = MENTION_COLUMNS.find((spec) => spec.table === 'customer_import_errors')!;

describe.each(testDialects())('redacting import error rows on %s', (dialect) => {
  let db: TestDb;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    services = createServices(db);
  });
  afterAll(() => db.destroy());

  it('pages through every row and rewrites only the one that names the person', async () => {
    const { accountId } = await createBareAccount(services);
    const importId = newId();
    const error = (row: number, value: string) => ({
      account_id: accountId,
      import_id: importId,
      row_number: row,
      seq: 1,
      column_name: 'email',
      value,
      reason: 'not an email address',
      code: 'not_an_email',
      params: null,
    });
    await db.kysely
      .insertInto('customer_import_errors')
      .values([error(2, 'kari stays'), error(3, 'jon@erase.example x'), error(4, 'per stays')])
      .execute();

    // Every row, one a page, as the step reads them when it cannot narrow by needle.
    const seen: string[] = [];
    let after: ReturnType<typeof mentionKey> | undefined;
    for (;;) {
      const [row] = await rowsMentioning(db.kysely, accountId, SPEC, null, after, 1);
      if (!row) break;
      seen.push(String(row.value));
      after = mentionKey(SPEC, row);
    }
    expect(seen).toEqual(['kari stays', 'jon@erase.example x', 'per stays']);

    const [jon, ...others] = await rowsMentioning(
      db.kysely,
      accountId,
      SPEC,
      { emails: ['jon@erase.example'], digits: [] },
      undefined,
      100,
    );
    expect(others).toEqual([]);
    await updateMention(db.kysely, accountId, SPEC, jon!, { value: 'j**@erase.example x' });
    const values = await db.kysely
      .selectFrom('customer_import_errors')
      .select(['row_number', 'value'])
      .where('account_id', '=', accountId)
      .orderBy('row_number')
      .execute();
    expect(values.map((v) => [Number(v.row_number), v.value])).toEqual([
      [2, 'kari stays'],
      [3, 'j**@erase.example x'],
      [4, 'per stays'],
    ]);
  });
});
