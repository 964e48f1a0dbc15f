// Merging two customers (issue 15): the rules. One transaction locks both rows, plans the
// survivor's values (customer-merge-plan.ts), points everything of the duplicate at the survivor,
// leaves the duplicate as a pointer (status 'merged', merged_into_id), writes both rows through
// the customer write model (their audit entries, status totals, duplicate suggestions), the
// journal and the webhook event. The dry run is that very transaction rolled back: its
// preview is what the merge would do, counted by the same statements, so the two cannot differ.
// Undo and the merge records are in customer-merge-undo.ts.
import type { Kysely, Transaction } from 'kysely';
import { fieldError } from '../../common/field-error-codes.ts';
import type { Customer } from '../../common/customer.ts';
import type {
  CustomerMergeCounts,
  CustomerMergePreview,
  CustomerMergeRequest,
  CustomerMergeResult,
} from '../../common/merge.ts';
import { accountSettingsSchema } from '../../common/settings.ts';
import { findAccount } from '../accounts/account.repository.ts';
import { requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import { listTypeRows } from '../customer-types/customer-type.repository.ts';
import { customerRowToCustomer, writeCustomer } from '../customers/customer.repository.ts';
import {
  buildMergeWrite,
  customerMergedError,
  ERASING,
  MERGED,
  type WriteContext,
} from '../customers/customer-write.ts';
import { customerSearchText } from '../customers/identity.ts';
import type { CustomerRow, Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { placeNames } from '../locations/location.repository.ts';
import { organizationNames } from '../organizations/organization.repository.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import type { CustomerMergeJournal } from './customer-merge-journal.ts';
import { planCustomerMerge } from './customer-merge-plan.ts';
import * as repo from './customer-merge.repository.ts';
import { presentMerge } from './customer-merge-undo.ts';

const DAY_MS = 86_400_000;

/** Thrown inside the dry run's transaction to roll it back, carrying the preview out. */
class DryRunRollback extends Error {
  constructor(readonly preview: CustomerMergePreview) {
    super('dry run');
  }
}

/** The customer as the API shows it, with its additional email addresses and phones. */
export async function presentCustomerRow(db: Conn, row: CustomerRow): Promise<Customer> {
  const names = await organizationNames(
    db,
    row.account_id,
    row.organization_id ? [row.organization_id] : [],
  );
  const identities = await repo.identitiesOfCustomers(db, row.account_id, [row.id]);
  const additional = (kind: 'email' | 'phone') =>
    identities.filter((i) => i.kind === kind && i.value !== row[kind]).map((i) => i.value);
  return customerRowToCustomer(
    {
      ...row,
      organization_name: row.organization_id ? (names.get(row.organization_id) ?? null) : null,
    },
    { emails: additional('email'), phones: additional('phone') },
  );
}

/** Who and when, with the names the entries' organization, type and location ids have now. */
export async function mergeContext(
  db: Conn,
  principal: Principal,
  rows: CustomerRow[],
  now: string,
): Promise<WriteContext> {
  const ids = [
    ...new Set(
      rows
        .flatMap((r) => [r.organization_id, r.type_id, r.default_location_id])
        .filter((id): id is string => id !== null),
    ),
  ];
  const names = new Map<string, string>();
  for (const [id, name] of await organizationNames(db, principal.accountId, ids))
    names.set(id, name);
  for (const type of await listTypeRows(db, principal.accountId))
    if (ids.includes(type.id)) names.set(type.id, type.name);
  for (const [id, name] of await placeNames(db, principal.accountId, ids, [])) names.set(id, name);
  return {
    accountId: principal.accountId,
    actor: { type: principal.type, id: principal.userId, name: principal.name },
    now,
    names,
  };
}

/** Both customers locked, in the principal's scope, neither merged away nor being erased. */
export async function lockPair(
  trx: Transaction<Database>,
  principal: Principal,
  survivorId: string,
  duplicateId: string,
): Promise<{ survivor: CustomerRow; duplicate: CustomerRow }> {
  const accountId = principal.accountId;
  const rows = await repo.lockCustomers(trx, accountId, [survivorId, duplicateId]);
  const survivor = rows.find((r) => r.id === survivorId);
  const duplicate = rows.find((r) => r.id === duplicateId);
  if (!survivor) throw new NotFoundError('customer', survivorId);
  if (!duplicate) throw new NotFoundError('customer', duplicateId);
  await requireInScope(trx, principal.scope, accountId, 'customer', survivorId);
  await requireInScope(trx, principal.scope, accountId, 'customer', duplicateId);
  return { survivor, duplicate };
}

function refuseUnmergeable(row: CustomerRow) {
  if (row.status === 'merged') throw customerMergedError(row);
  if (row.status === ERASING)
    throw new ConflictError(
      'customer_being_erased',
      `Customer #${row.number} is being erased and cannot be merged`,
    );
}

export class CustomerMergeService {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * POST /customers/{id}/merge: the survivor is `survivorId`; with `dryRun` the same transaction
   * is rolled back and its preview returned.
   */
  async merge(
    principal: Principal,
    survivorId: string,
    request: CustomerMergeRequest,
    dryRun: true,
  ): Promise<CustomerMergePreview>;
  async merge(
    principal: Principal,
    survivorId: string,
    request: CustomerMergeRequest,
    dryRun: false,
  ): Promise<CustomerMergeResult>;
  async merge(
    principal: Principal,
    survivorId: string,
    request: CustomerMergeRequest,
    dryRun: boolean,
  ): Promise<CustomerMergePreview | CustomerMergeResult> {
    if (survivorId === request.duplicateId)
      throw new ValidationError([
        fieldError('duplicateId', 'merge_self', 'a customer cannot be merged with itself'),
      ]);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const outcome = await this.run(trx, principal, survivorId, request);
        if (dryRun) throw new DryRunRollback(outcome.preview);
        return outcome.result;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.preview;
      throw error;
    }
  }

  private async run(
    trx: Transaction<Database>,
    principal: Principal,
    survivorId: string,
    request: CustomerMergeRequest,
  ): Promise<{ preview: CustomerMergePreview; result: CustomerMergeResult }> {
    const accountId = principal.accountId;
    const { survivor, duplicate } = await lockPair(trx, principal, survivorId, request.duplicateId);
    refuseUnmergeable(survivor);
    refuseUnmergeable(duplicate);
    const plan = planCustomerMerge(survivor, duplicate, request.keep);
    const now = nowIso();
    const settings =
      (await findAccount(trx, accountId))?.settings ?? accountSettingsSchema.parse({});
    const undoUntil = new Date(Date.parse(now) + settings.mergeUndoDays * DAY_MS).toISOString();
    const before = {
      survivor: await presentCustomerRow(trx, survivor),
      duplicate: await presentCustomerRow(trx, duplicate),
    };
    const identities = await repo.identitiesOfCustomers(trx, accountId, [
      survivor.id,
      duplicate.id,
    ]);

    const moved = {} as CustomerMergeJournal['moved'];
    for (const kind of Object.keys(repo.MOVABLE) as repo.MovableKind[])
      moved[kind] = await repo.moveAll(trx, accountId, kind, duplicate.id, survivor.id);
    const groupMembers = await this.moveGroupMemberships(trx, accountId, survivor.id, duplicate.id);
    const hub = await this.moveHub(trx, accountId, survivor.id, duplicate.id);
    await repo.endHubAccessOf(trx, accountId, duplicate.id);
    const suggestions = await repo.takeSuggestionsOf(trx, accountId, duplicate.id);

    // Both rows through the customer write model (the duplicate first, so the survivor's
    // suggestion upkeep no longer sees it as a candidate): version-checked, audited, counted.
    // The survivor's search text holds every identity it now has, the duplicate's included.
    const additional = (kind: 'email' | 'phone') =>
      identities
        .filter((i) => i.kind === kind && i.value !== plan.values[kind])
        .map((i) => i.value);
    const values = {
      ...plan.values,
      search_text: customerSearchText({
        firstName: plan.values.first_name,
        lastName: plan.values.last_name,
        email: plan.values.email,
        phone: plan.values.phone,
        additionalEmails: additional('email'),
        additionalPhones: additional('phone'),
      }),
    };
    const context = await mergeContext(
      trx,
      principal,
      [survivor, duplicate, { ...survivor, ...values }],
      now,
    );
    const identitiesTaken = identities
      .filter((i) => i.customer_id === duplicate.id)
      .map((i) => i.value);
    await writeCustomer(
      trx,
      buildMergeWrite(
        context,
        duplicate,
        { status: MERGED, merged_into_id: survivor.id },
        'merged_into',
        { mergedInto: { from: null, to: { number: Number(survivor.number), id: survivor.id } } },
      ),
    );
    const survivorWrite = buildMergeWrite(context, survivor, values, 'merged', {
      mergedFrom: { from: null, to: { number: Number(duplicate.number), id: duplicate.id } },
      ...(identitiesTaken.length ? { identities: { from: null, to: identitiesTaken } } : {}),
      ...plan.changes,
    });
    await writeCustomer(trx, survivorWrite);
    const survivorAfter = survivorWrite.row;

    const journal: CustomerMergeJournal = {
      format: 1,
      survivor,
      duplicate,
      survivorAfter: values,
      identities,
      moved,
      groupMembers,
      hubLogin: hub.login,
      hubGrants: hub.grants,
      suggestions,
      conflicts: plan.conflicts,
      changes: plan.changes,
    };
    const mergeRow = {
      account_id: accountId,
      id: newId(),
      survivor_id: survivor.id,
      merged_id: duplicate.id,
      journal: JSON.stringify(journal),
      actor_type: principal.type,
      actor_id: principal.userId,
      actor_name: principal.name,
      created_at: now,
      undo_until: undoUntil,
      undone_at: null,
      undone_by_name: null,
    };
    await repo.insertMerge(trx, mergeRow);
    const customer = await presentCustomerRow(trx, survivorAfter);
    await recordWebhookEvent(
      trx,
      accountId,
      {
        type: 'customer.merged',
        data: { customer, mergedId: duplicate.id },
        customerId: survivor.id,
      },
      now,
    );
    const counts: CustomerMergeCounts = {
      tickets: moved.tickets.length,
      messages: moved.messages.length,
      identities: moved.identities.length,
      auditEntries: moved.auditEntries.length,
      other: {
        contracts: moved.contracts.length,
        exports: moved.exports.length,
        notificationGroups: groupMembers.moved.length + groupMembers.dropped.length,
        hubLogins: hub.login.moved || hub.login.dropped ? 1 : 0,
        hubGrants: hub.grants.moved.length + hub.grants.dropped.length,
        duplicateSuggestions: suggestions.length,
      },
    };
    return {
      preview: {
        ...before,
        result: customer,
        conflicts: plan.conflicts,
        moves: counts,
        undoUntil,
      },
      result: {
        merge: presentMerge(mergeRow, null),
        customer,
        moved: counts,
      },
    };
  }

  /** The duplicate's groups: re-pointed, or dropped where the survivor is a member already. */
  private async moveGroupMemberships(
    trx: Transaction<Database>,
    accountId: string,
    survivorId: string,
    duplicateId: string,
  ): Promise<CustomerMergeJournal['groupMembers']> {
    const theirs = await repo.groupMembershipsOf(trx, accountId, duplicateId);
    if (!theirs.length) return { moved: [], dropped: [] };
    const mine = new Set(
      (await repo.groupMembershipsOf(trx, accountId, survivorId)).map((m) => m.group_id),
    );
    const dropped = theirs.filter((m) => mine.has(m.group_id));
    await repo.deleteMemberships(
      trx,
      accountId,
      dropped.map((m) => m.id),
    );
    const moved = theirs.filter((m) => !mine.has(m.group_id)).map((m) => m.id);
    for (const id of moved) await repo.pointMembership(trx, accountId, id, survivorId);
    return { moved, dropped };
  }

  /** The survivor's Hub sign-in stays (else the duplicate's is taken over); grants: the union. */
  private async moveHub(
    trx: Transaction<Database>,
    accountId: string,
    survivorId: string,
    duplicateId: string,
  ): Promise<{
    login: CustomerMergeJournal['hubLogin'];
    grants: CustomerMergeJournal['hubGrants'];
  }> {
    const theirLogin = await repo.hubLoginOf(trx, accountId, duplicateId);
    const login: CustomerMergeJournal['hubLogin'] = { moved: false, dropped: null };
    if (theirLogin) {
      if (await repo.hubLoginOf(trx, accountId, survivorId)) {
        await repo.deleteHubLogin(trx, accountId, duplicateId);
        login.dropped = theirLogin;
      } else {
        await repo.pointHubLogin(trx, accountId, duplicateId, survivorId);
        login.moved = true;
      }
    }
    const theirGrants = await repo.hubGrantsOf(trx, accountId, duplicateId);
    const grants: CustomerMergeJournal['hubGrants'] = { moved: [], dropped: [] };
    if (theirGrants.length) {
      const mine = new Set(
        (await repo.hubGrantsOf(trx, accountId, survivorId)).map((g) => g.organization_id),
      );
      for (const grant of theirGrants) {
        if (mine.has(grant.organization_id)) {
          await repo.deleteHubGrant(trx, accountId, duplicateId, grant.organization_id);
          grants.dropped.push(grant);
        } else {
          await repo.pointHubGrant(trx, accountId, grant.organization_id, duplicateId, survivorId);
          grants.moved.push(grant.organization_id);
        }
      }
    }
    return { login, grants };
  }
}
