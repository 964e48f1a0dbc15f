// Customer types (VIP, Partner, Internal, …): a short list per account, names unique in any case.
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import type { CustomerType } from '../../common/custom-field.ts';
import { ALL, type Scope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.ts';
import {
  deleteCustomerType,
  findCustomerType,
  insertCustomerType,
  listTypeRows,
  typeCounts,
  updateCustomerType,
} from './customer-type.repository.ts';

function nameTaken(name: string) {
  return new ConflictError('customer_type_name_taken', `A customer type named ${name} exists`, {
    errors: [fieldError('name', 'already_used', 'already used by another type')],
  });
}

export class CustomerTypeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
  ) {}

  /** The types with their customer counts (for a scoped agent: of the customers they see). */
  async list(accountId: string, scope: Scope = ALL): Promise<CustomerType[]> {
    const [rows, counts] = await Promise.all([
      listTypeRows(this.db, accountId),
      typeCounts(this.db, accountId, scope),
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
      await insertCustomerType(this.db, {
        account_id: accountId,
        id: type.id,
        name: type.name,
        name_key: type.name.toLowerCase(),
        position,
        created_at: nowIso(),
      });
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
      await updateCustomerType(this.db, accountId, id, {
        name,
        name_key: name.toLowerCase(),
        position: patch.position ?? current.position,
      });
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

  /**
   * Deleting a type leaves its customers without a type (each change in their trail, in the
   * same transaction); it never deletes a customer.
   */
  async remove(principal: Principal, id: string): Promise<void> {
    const { accountId } = principal;
    await this.db.transaction().execute(async (trx) => {
      if (!(await findCustomerType(trx, accountId, id)))
        throw new NotFoundError('customer_type', id);
      await this.customers.clearType(principal, id, trx);
      await deleteCustomerType(trx, accountId, id);
    });
  }
}
