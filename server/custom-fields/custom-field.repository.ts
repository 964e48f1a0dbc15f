// SQL for custom field definitions.
import type { Kysely, Transaction } from 'kysely';
import type { CustomField } from '../../common/custom-field.ts';
import type { CustomFieldRow, Database } from '../db/database.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export function customFieldRowToField(row: CustomFieldRow): CustomField {
  return {
    id: row.id,
    entity: row.entity as CustomField['entity'],
    key: row.key,
    label: row.label,
    labelNb: row.label_nb,
    type: row.type as CustomField['type'],
    required: Boolean(row.required),
    options: JSON.parse(row.options) as string[],
    pattern: row.pattern,
    position: Number(row.position),
  };
}

export async function listFields(
  db: Conn,
  accountId: string,
  entity?: string,
): Promise<CustomField[]> {
  let query = db.selectFrom('custom_fields').selectAll().where('account_id', '=', accountId);
  if (entity) query = query.where('entity', '=', entity);
  const rows = await query.orderBy('entity').orderBy('position').orderBy('key').execute();
  return rows.map(customFieldRowToField);
}

export async function findField(db: Conn, accountId: string, id: string) {
  const row = await db
    .selectFrom('custom_fields')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? customFieldRowToField(row) : undefined;
}

export async function insertField(
  db: Conn,
  accountId: string,
  field: CustomField,
  createdAt: string,
) {
  await db
    .insertInto('custom_fields')
    .values({
      account_id: accountId,
      id: field.id,
      entity: field.entity,
      key: field.key,
      label: field.label,
      label_nb: field.labelNb,
      type: field.type,
      required: field.required ? 1 : 0,
      options: JSON.stringify(field.options),
      pattern: field.pattern,
      position: field.position,
      created_at: createdAt,
    })
    .execute();
}

export async function updateField(db: Conn, accountId: string, field: CustomField) {
  await db
    .updateTable('custom_fields')
    .set({
      label: field.label,
      label_nb: field.labelNb,
      required: field.required ? 1 : 0,
      options: JSON.stringify(field.options),
      pattern: field.pattern,
      position: field.position,
    })
    .where('account_id', '=', accountId)
    .where('id', '=', field.id)
    .execute();
}

export async function deleteField(db: Conn, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('custom_fields')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
