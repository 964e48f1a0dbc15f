// Locations of an organization (an address) and areas inside them (issue 12), and the ticket's
// place: tickets gain location_id and area_id (both optional, checked by the service to belong
// to the ticket's organization); customers gain a default location. Names are unique per organization (locations) and per location
// (areas), in any case, so two "Head office" rows never confuse a picker.
import type { Kysely } from 'kysely';
import { columnTypes } from './dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('organization_locations')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('country', 'text')
    .addColumn('phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_locations_pk', ['account_id', 'id'])
    .addUniqueConstraint('organization_locations_name_uq', [
      'account_id',
      'organization_id',
      'name_key',
    ])
    .execute();
  await db.schema
    .createTable('organization_areas')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_areas_pk', ['account_id', 'id'])
    .addUniqueConstraint('organization_areas_name_uq', ['account_id', 'location_id', 'name_key'])
    .execute();
  await db.schema
    .createIndex('organization_areas_org_idx')
    .on('organization_areas')
    .columns(['account_id', 'organization_id'])
    .execute();

  // A customer's default location: a new ticket of theirs starts there (written only through
  // the customer write model, which drops it when the customer leaves the organization).
  await db.schema.alterTable('customers').addColumn('default_location_id', 'text').execute();

  // Tickets: kept contiguous and apart from the contracts' migration so the two merge cleanly.
  await db.schema.alterTable('tickets').addColumn('location_id', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('area_id', 'text').execute();
  await db.schema
    .createIndex('tickets_location_idx')
    .on('tickets')
    .columns(['account_id', 'location_id', 'number'])
    .execute();
  await db.schema
    .createIndex('tickets_area_idx')
    .on('tickets')
    .columns(['account_id', 'area_id', 'number'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_area_idx').ifExists().execute();
  await db.schema.dropIndex('tickets_location_idx').ifExists().execute();
  await db.schema.alterTable('tickets').dropColumn('area_id').execute();
  await db.schema.alterTable('tickets').dropColumn('location_id').execute();
  await db.schema.alterTable('customers').dropColumn('default_location_id').execute();
  await db.schema.dropTable('organization_areas').ifExists().execute();
  await db.schema.dropTable('organization_locations').ifExists().execute();
}
