// Undoing a customer merge (issue 15) and reading the merge records. An undo reads the journal
// (customer-merge-journal.ts) and, in one transaction with both rows locked, puts back what the
// merge changed: the survivor's merged columns, the duplicate as it was with its identities, and
// exactly the rows the merge moved (a ticket the survivor got since stays with it). It is refused
// with a 409 naming the reason when the window has passed, it was undone already, either customer
// is erased or being erased, or undoing would overwrite a change made since the merge.
import type { Kysely, Transaction } from 'kysely';
import type { MergeRecord } from '../../common/merge.ts';
import type { Customer } from '../../common/customer.ts';
import { requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import { findCustomer, findCustomers, writeCustomer } from '../customers/customer.repository.ts';
import { buildMergeWrite, ERASING } from '../customers/customer-write.ts';
import type { CustomerRow, Database, MergeTable } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { parseJournal, type CustomerMergeJournal } from './customer-merge-journal.ts';
import { MERGED_COLUMNS } from './customer-merge-plan.ts';
import * as repo from './customer-merge.repository.ts';
import { mergeContext, presentCustomerRow } from './customer-merge.service.ts';

type Blocked = NonNullable<MergeRecord['undoBlockedBy']>;

/** JSON with its keys sorted: PostgreSQL's jsonb gives back its own spelling of what was sent. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function sameInstant(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));
}

const FIELD_OF: Record<string, string> = {
  first_name: 'firstName',
  last_name: 'lastName',
  organization_id: 'organizationId',
  type_id: 'typeId',
  default_location_id: 'defaultLocationId',
  hub_access: 'hubAccess',
  custom_attributes: 'customAttributes',
};

function sameColumn(column: string, a: unknown, b: unknown): boolean {
  if (column === 'custom_attributes')
    return canonical(JSON.parse(String(a))) === canonical(JSON.parse(String(b)));
  return a === b;
}

export function presentMerge(
  row: MergeTable,
  undoBlockedBy: MergeRecord['undoBlockedBy'],
): MergeRecord {
  return {
    id: row.id,
    survivorId: row.survivor_id,
    duplicateId: row.merged_id,
    actor: {
      type: row.actor_type as MergeRecord['actor']['type'],
      id: row.actor_id,
      name: row.actor_name,
    },
    createdAt: row.created_at,
    undoUntil: row.undo_until,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by_name,
    undoBlockedBy,
  };
}

/** Why undoing would be refused now, with the sentence that says so; undefined: it may. */
async function undoRefusal(
  db: Conn,
  row: MergeTable,
  journal: CustomerMergeJournal,
  now: string,
): Promise<
  { reason: Blocked; code: string; detail: string; extra?: Record<string, unknown> } | undefined
> {
  if (row.undone_at)
    return {
      reason: 'undone',
      code: 'merge_already_undone',
      detail: 'This merge was undone already',
    };
  if (now > row.undo_until)
    return {
      reason: 'expired',
      code: 'merge_undo_expired',
      detail: `This merge could be undone until ${row.undo_until}`,
    };
  const rows = await findCustomers(db, row.account_id, [row.survivor_id, row.merged_id]);
  const survivor = rows.find((r) => r.id === row.survivor_id);
  const duplicate = rows.find((r) => r.id === row.merged_id);
  if (!survivor || !duplicate || survivor.status === ERASING || duplicate.status === ERASING)
    return {
      reason: 'erased',
      code: 'merge_customer_erased',
      detail: 'One of the two customers was erased or is being erased',
    };
  const fields: string[] = [];
  if (survivor.status === 'merged') fields.push('status');
  for (const column of MERGED_COLUMNS) {
    if (column === 'last_activity_at' || column === 'email_domain' || column === 'search_text')
      continue;
    if (!sameColumn(column, survivor[column], journal.survivorAfter[column]))
      fields.push(FIELD_OF[column] ?? column);
  }
  const owners = await repo.identityOwners(db, row.account_id, journal.identities);
  const identities = journal.identities
    .filter((i) => owners.get(`${i.kind}:${i.value}`) !== survivor.id)
    .map((i) => i.value);
  if (fields.length || identities.length)
    return {
      reason: 'changed_since',
      code: 'merge_changed_since',
      detail:
        `Customer #${survivor.number} was changed since the merge` +
        (fields.length ? `: ${fields.join(', ')}` : '') +
        (identities.length ? `; no longer has ${identities.join(', ')}` : ''),
      extra: { fields, identities },
    };
  return undefined;
}

export class CustomerMergeUndo {
  constructor(private readonly db: Kysely<Database>) {}

  private async record(db: Conn, principal: Principal, id: string) {
    const row = await repo.findMerge(db, principal.accountId, id);
    if (!row) throw new NotFoundError('customer_merge', id);
    await requireInScope(db, principal.scope, principal.accountId, 'customer', row.survivor_id);
    return row;
  }

  private async present(db: Conn, row: MergeTable): Promise<MergeRecord> {
    const refusal = await undoRefusal(db, row, parseJournal(row.journal), nowIso());
    return presentMerge(row, refusal?.reason ?? null);
  }

  /** GET /customer-merges/{id}. */
  async get(principal: Principal, id: string): Promise<MergeRecord> {
    return this.present(this.db, await this.record(this.db, principal, id));
  }

  /** GET /customers/{id}/merges: the merges into the customer, newest first (the undo banner). */
  async mergesInto(principal: Principal, customerId: string, limit: number) {
    if (!(await findCustomer(this.db, principal.accountId, customerId)))
      throw new NotFoundError('customer', customerId);
    await requireInScope(this.db, principal.scope, principal.accountId, 'customer', customerId);
    const rows = await repo.mergesInto(this.db, principal.accountId, customerId, limit);
    const items: MergeRecord[] = [];
    for (const row of rows) items.push(await this.present(this.db, row));
    return { items, total: items.length };
  }

  /** POST /customer-merges/{id}/undo. */
  async undo(
    principal: Principal,
    id: string,
  ): Promise<{ merge: MergeRecord; survivor: Customer; restored: Customer }> {
    return this.db.transaction().execute(async (trx) => {
      await this.record(trx, principal, id);
      const row = (await repo.lockMerge(trx, principal.accountId, id))!;
      const journal = parseJournal(row.journal);
      const locked = await repo.lockCustomers(trx, principal.accountId, [
        row.survivor_id,
        row.merged_id,
      ]);
      const now = nowIso();
      const refusal = await undoRefusal(trx, row, journal, now);
      if (refusal) throw new ConflictError(refusal.code, refusal.detail, refusal.extra);
      const survivor = locked.find((r) => r.id === row.survivor_id)!;
      const duplicate = locked.find((r) => r.id === row.merged_id)!;
      const { survivorRow, duplicateRow } = await this.restore(
        trx,
        principal,
        journal,
        survivor,
        duplicate,
        now,
      );
      await repo.markUndone(trx, principal.accountId, id, now, principal.name);
      return {
        merge: presentMerge({ ...row, undone_at: now, undone_by_name: principal.name }, 'undone'),
        survivor: await presentCustomerRow(trx, survivorRow),
        restored: await presentCustomerRow(trx, duplicateRow),
      };
    });
  }

  private async restore(
    trx: Transaction<Database>,
    principal: Principal,
    journal: CustomerMergeJournal,
    survivor: CustomerRow,
    duplicate: CustomerRow,
    now: string,
  ): Promise<{ survivorRow: CustomerRow; duplicateRow: CustomerRow }> {
    const accountId = survivor.account_id;
    // What moved goes back first, the suggestions too (a dismissed pair stays dismissed), so
    // the write model's upkeep below sees both customers with their own identities again.
    for (const kind of Object.keys(repo.MOVABLE) as repo.MovableKind[])
      await repo.moveBack(trx, accountId, kind, journal.moved[kind], survivor.id, duplicate.id);
    for (const memberId of journal.groupMembers.moved)
      await repo.pointMembership(trx, accountId, memberId, duplicate.id);
    await repo.restoreMemberships(trx, journal.groupMembers.dropped);
    if (journal.hubLogin.moved) await repo.pointHubLogin(trx, accountId, survivor.id, duplicate.id);
    if (journal.hubLogin.dropped) await repo.insertHubLogin(trx, journal.hubLogin.dropped);
    for (const organizationId of journal.hubGrants.moved)
      await repo.pointHubGrant(trx, accountId, organizationId, survivor.id, duplicate.id);
    await repo.insertHubGrants(trx, journal.hubGrants.dropped);
    await repo.restoreSuggestions(trx, journal.suggestions);

    const was = journal.survivor;
    const set: Partial<CustomerRow> = {};
    for (const column of MERGED_COLUMNS) (set as Record<string, unknown>)[column] = was[column];
    // Activity since the merge (a new ticket) is the survivor's own: it is kept.
    if (!sameInstant(survivor.last_activity_at, journal.survivorAfter.last_activity_at))
      set.last_activity_at = survivor.last_activity_at;
    const context = await mergeContext(
      trx,
      principal,
      [survivor, { ...survivor, ...set }, duplicate],
      now,
    );
    const restoredChanges: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, change] of Object.entries(journal.changes))
      restoredChanges[field] = { from: change.to, to: change.from };
    const survivorWrite = buildMergeWrite(context, survivor, set, 'merge_undone', {
      mergedFrom: { from: { number: Number(duplicate.number), id: duplicate.id }, to: null },
      ...restoredChanges,
    });
    await writeCustomer(trx, survivorWrite);
    const duplicateWrite = buildMergeWrite(
      context,
      duplicate,
      { status: journal.duplicate.status, merged_into_id: null },
      'merge_undone',
      { mergedInto: { from: { number: Number(survivor.number), id: survivor.id }, to: null } },
    );
    await writeCustomer(trx, duplicateWrite);
    return { survivorRow: survivorWrite.row, duplicateRow: duplicateWrite.row };
  }
}
