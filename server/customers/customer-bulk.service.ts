// Bulk actions on customers (issue 16): deactivate, reactivate or move the customers named by
// id, or every customer the list shows for a filter (the list's own filter and scope, read by
// the list's repository, so "all matching" is the set the agent saw counted). Written in
// batches, each its own transaction, through CustomerService.changeMany and so the write model
// (a write and an audit entry per customer, the webhook events, the kept totals). The answer
// names each customer changed and what it was before, for an exact Undo.
import type { Kysely } from 'kysely';
import {
  BULK_LIMIT,
  type CustomerBulk,
  type CustomerBulkFilter,
  type CustomerBulkResult,
} from '../../common/customer-bulk.ts';
import { fieldError } from '../../common/field-error-codes.ts';
import { requirePermission, type Principal } from '../agents/principal.ts';
import type { Dialect } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import type { CustomerFilter } from './customer.repository.ts';
import type { CustomerService } from './customer.service.ts';
import { listSortedRows, type SortPosition } from './customer-sort.repository.ts';
import { foldQuery } from './identity.ts';

/** Customers per transaction: short enough that SQLite's one writer is never held long. */
const BATCH = 250;

export class CustomerBulkService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly customers: CustomerService,
  ) {}

  async run(principal: Principal, request: CustomerBulk): Promise<CustomerBulkResult> {
    if ((request.customerIds === undefined) === (request.filter === undefined)) {
      throw new ValidationError([
        fieldError('customerIds', 'required', 'send either customerIds or filter'),
      ]);
    }
    if (request.action === 'move' && request.organizationId === undefined) {
      throw new ValidationError([
        fieldError('organizationId', 'required', 'choose the organization to move to'),
      ]);
    }
    // Deactivating and reactivating are what common/permissions.ts calls deleting a customer:
    // refused before anything is read, not halfway through.
    if (request.action !== 'move') requirePermission(principal, 'customers.delete');
    const ids = request.customerIds
      ? [...new Set(request.customerIds)]
      : await this.matching(principal, request.filter!);
    const patch =
      request.action === 'move'
        ? { organizationId: request.organizationId === 'none' ? null : request.organizationId! }
        : {
            status:
              request.action === 'deactivate' ? ('deactivated' as const) : ('active' as const),
          };
    const changed: CustomerBulkResult['changed'] = [];
    for (let start = 0; start < ids.length; start += BATCH) {
      const batch = ids.slice(start, start + BATCH);
      const before = await this.db
        .transaction()
        .execute((trx) => this.customers.changeMany(principal, batch, patch, trx));
      for (const row of before)
        changed.push({
          id: row.id,
          status: row.status === 'deactivated' ? 'deactivated' : 'active',
          organizationId: row.organization_id,
        });
    }
    return { action: request.action, matched: ids.length, changed };
  }

  /** The ids the list shows for this filter, newest first, refused past BULK_LIMIT. */
  private async matching(principal: Principal, given: CustomerBulkFilter): Promise<string[]> {
    const search = given.q ? foldQuery(given.q) || undefined : undefined;
    const filter: CustomerFilter = {
      status: given.status ?? 'active',
      search,
      organizationId: given.organizationId,
      typeId: given.typeId,
      scope: principal.scope,
    };
    const ids: string[] = [];
    let after: SortPosition | undefined;
    for (;;) {
      const rows = await listSortedRows(
        this.db,
        this.dialect,
        principal.accountId,
        filter,
        { sort: 'number', descending: true, after },
        1000,
      );
      ids.push(...rows.map((row) => row.id));
      if (ids.length > BULK_LIMIT) {
        throw new ValidationError([
          fieldError('filter', 'too_many', `more than ${BULK_LIMIT} customers match`, {
            max: BULK_LIMIT,
          }),
        ]);
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < 1000) return ids;
      after = last.position;
    }
  }
}
