// Customer types (VIP, Partner, Internal, …): a short list per account; SQL inline is kept in
// the repository functions below.
import type { Kysely, Transaction } from 'kysely';
import type { CustomerType } from '../../common/custom-field.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, isUniqueViolation } from '../http/errors.ts';

type Conn = Kysely<Database> | Transaction<Database>;

// Repository
async function listTypeRows(db: Conn, accountId: string) {
  return db
    .selectFrom('customer_types')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('position')
    .orderBy('name_key')
    .execute();
}

async function typeCounts(db: Conn, accountId: string) {
  const rows = await db
    .selectFrom('customers')
    .select(['type_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('account_id', '=', accountId)
    .where('type_id', 'is not', null)
    .groupBy('type_id')
    .execute();
  return new Map(rows.map((r) => [r.type_id ?? '', Number(r.count)]));
}

export async function findCustomerType(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('customer_types')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findCustomerTypeByName(db: Conn, accountId: string, name: string) {
  return db
    .selectFrom('customer_types')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_key', '=', name.trim().toLowerCase())
    .executeTakeFirst();
}

function nameTaken(name: string) {
  return new ConflictError('customer_type_name_taken', `A customer type named ${name} exists`, {
    errors: [{ field: 'name', message: 'already used by another type' }],
  });
}

export class CustomerTypeService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(accountId: string): Promise<CustomerType[]> {
    const [rows, counts] = await Promise.all([
      listTypeRows(this.db, accountId),
      typeCounts(this.db, accountId),
    ]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      position: Number(r.position),
      customerCount: counts.get(r.id) ?? 0,
    }));
  }

  async create(
    accountId: string,
    input: { name: string; position?: number },
  ): Promise<CustomerType> {
    const position = input.position ?? (await listTypeRows(this.db, accountId)).length;
    const type = { id: newId(), name: input.name, position, customerCount: 0 };
    try {
      await this.db
        .insertInto('customer_types')
        .values({
          account_id: accountId,
          id: type.id,
          name: type.name,
          name_key: type.name.toLowerCase(),
          position,
          created_at: nowIso(),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
    return type;
  }

  async update(
    accountId: string,
    id: string,
    patch: { name?: string; position?: number },
  ): Promise<CustomerType> {
    const current = await findCustomerType(this.db, accountId, id);
    if (!current) throw new NotFoundError('customer_type', id);
    const name = patch.name ?? current.name;
    try {
      await this.db
        .updateTable('customer_types')
        .set({ name, name_key: name.toLowerCase(), position: patch.position ?? current.position })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    }
    return (
      (await this.list(accountId)).find((t) => t.id === id) ?? {
        id,
        name,
        position: 0,
        customerCount: 0,
      }
    );
  }

  /** Deleting a type leaves its customers without a type; it never deletes a customer. */
  async remove(accountId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await findCustomerType(trx, accountId, id)))
        throw new NotFoundError('customer_type', id);
      await trx
        .updateTable('customers')
        .set({ type_id: null })
        .where('account_id', '=', accountId)
        .where('type_id', '=', id)
        .execute();
      await trx
        .deleteFrom('customer_types')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .execute();
    });
  }
}
