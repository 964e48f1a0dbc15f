// What a write that names a customer checks first (issue 15): that the customer is live, not a
// pointer a merge left (409 customer_merged, naming the survivor) nor being erased. Checked
// under the row's lock in the write's own transaction (lockCustomerRow), as a customer merge
// locks both rows: a merge committing meanwhile is waited for and seen, so a pointer never
// gains a contract, a notification group membership, a Hub grant or an export.
import type { CustomerRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import { NotFoundError, type AppError } from '../errors.ts';
import { lockCustomerRow } from './customer.repository.ts';
import { customerMergedError, ERASING, MERGED } from './customer-write.ts';

/**
 * The customer's row under its lock, or undefined when there is none; a merged-away one is
 * refused. For callers that word a missing customer themselves (a field error).
 */
export async function lockUnlessMerged(
  db: Conn,
  accountId: string,
  id: string,
): Promise<CustomerRow | undefined> {
  const row = await lockCustomerRow(db, accountId, id);
  if (row?.status === MERGED) throw customerMergedError(row);
  return row;
}

/** The customer, live, under its lock: missing or being erased is `missing()` (a 404). */
export async function lockLiveCustomer(
  db: Conn,
  accountId: string,
  id: string,
  missing: () => AppError = () => new NotFoundError('customer', id),
): Promise<CustomerRow> {
  const row = await lockUnlessMerged(db, accountId, id);
  if (!row || row.status === ERASING) throw missing();
  return row;
}
