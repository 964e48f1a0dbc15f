// Merging two organizations, previewed and undoable (issue 15). The survivor (the URL's id)
// takes over everything of the duplicate in one transaction: domains, customers, tickets,
// locations and areas, contracts (their time with them), routing rules, notification groups,
// team access and Customer Hub grants. The duplicate stays as a pointer (merged_into_id): not
// listed, matched by domain, or written. The journal (organization_merges) lists every row that
// moved, and an undo within settings.mergeUndoDays puts them back unless something changed since.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  MergeRecord,
  OrganizationMergeRequest,
  organizationMergeResultSchema,
} from '../../common/merge.ts';
import { fieldError } from '../../common/field-error-codes.ts';
import { ALL, servesOrganization } from '../access/scope.ts';
import { requirePermission, type Principal } from '../agents/principal.ts';
import { buildChange, type CustomerWrite, type WriteContext } from '../customers/customer-write.ts';
import {
  additionalIdentitiesOf,
  afterCustomerWrites,
  writeCustomers,
  type AdditionalIdentities,
} from '../customers/customer.repository.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { CustomerAuditTable, CustomerRow, Database, OrganizationRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import type { AppError } from '../errors.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import * as orgRepo from '../organizations/organization.repository.ts';
import { recordWebhookEvent } from '../webhooks/webhook-events.ts';
import { mergeRowToRecord, undoBlockedByTime, undoDeadline, undoRefused } from './journal.ts';
import * as moves from './organization-merge-moves.repository.ts';
import { planOrganizationMerge } from './organization-merge-plan.ts';
import { ORGANIZATION_MERGE_SENTENCES as TEXT } from './organization-merge-texts.ts';
import * as repo from './organization-merge.repository.ts';

type Result = z.infer<typeof organizationMergeResultSchema>;

const audits = (writes: CustomerWrite[]): CustomerAuditTable[] =>
  writes.flatMap((w) => (w.audit ? [w.audit] : []));

export class OrganizationMergeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
  ) {}

  /** The organization as the API shows it, read in the caller's transaction. */
  private async present(db: Conn, principal: Principal, row: OrganizationRow) {
    const [domains, counts] = await Promise.all([
      orgRepo.domainsOf(db, principal.accountId, [row.id]),
      orgRepo.customerCounts(db, principal.accountId, [row.id], principal.scope),
    ]);
    return orgRepo.organizationRowToOrganization(
      row,
      domains.get(row.id) ?? [],
      counts.get(row.id) ?? 0,
    );
  }

  /** A live organization in scope, or the refusal: 409 when merged away already, else 404. */
  private async live(db: Conn, principal: Principal, id: string): Promise<OrganizationRow> {
    const row = await orgRepo.findOrganization(db, principal.accountId, id, principal.scope);
    if (row) return row;
    const record = await orgRepo.findOrganizationRecord(db, principal.accountId, id);
    if (record?.merged_into_id && (await this.visible(db, principal, record.merged_into_id)))
      throw new ConflictError('organization_merged', TEXT.alreadyMerged, {
        mergedInto: record.merged_into_id,
      });
    throw new NotFoundError('organization', id);
  }

  private async visible(db: Conn, principal: Principal, id: string) {
    return (
      (await orgRepo.findOrganization(db, principal.accountId, id, principal.scope)) !== undefined
    );
  }

  /**
   * Both must be served whole by the agent's teams, or the agent sees the whole account: the
   * merge moves every customer of both, as deleting an organization does (which asks the same).
   */
  private requireWhole(principal: Principal, ...ids: string[]) {
    if (ids.some((id) => !servesOrganization(principal.scope, id)))
      requirePermission(principal, 'scope.all');
  }

  private context(principal: Principal, names: [string, string][], now: string): WriteContext {
    return {
      accountId: principal.accountId,
      actor: { type: principal.type, id: principal.userId, name: principal.name },
      now,
      names: new Map(names),
    };
  }

  /**
   * Each customer's write for its organization moving, built by the write model. `additional`
   * is each customer's additional identities as read with the row: the row's search text is
   * built from them, so the write leaves it as it is.
   */
  private writes(
    context: WriteContext,
    rows: CustomerRow[],
    to: string,
    additional: Map<string, AdditionalIdentities>,
  ): CustomerWrite[] {
    return rows.flatMap((row) => {
      // The default location moves with the organization, so it stays the customer's.
      const change = buildChange(
        context,
        row,
        { organizationId: to, defaultLocationId: row.default_location_id },
        additional.get(row.id) ?? { emails: [], phones: [] },
      );
      return change ? [change] : [];
    });
  }

  async merge(
    principal: Principal,
    survivorId: string,
    request: OrganizationMergeRequest,
    dryRun: boolean,
  ) {
    const accountId = principal.accountId;
    const settings = await this.customers.settings(accountId);
    const now = nowIso();
    return this.db.transaction().execute(async (trx) => {
      const survivor = await this.live(trx, principal, survivorId);
      if (request.duplicateId === survivorId)
        throw new ValidationError([
          fieldError(
            'duplicateId',
            'merge_with_itself',
            'an organization cannot be merged with itself',
          ),
        ]);
      const duplicate = await this.live(trx, principal, request.duplicateId);
      this.requireWhole(principal, survivorId, duplicate.id);
      if (!dryRun && !(await repo.lockLivePair(trx, accountId, survivorId, duplicate.id)))
        throw new ConflictError('organization_merged', TEXT.mergedJustNow);
      const holdings = await repo.readHoldings(trx, accountId, duplicate.id);
      const keys = await repo.readSurvivorKeys(trx, accountId, survivorId);
      const plan = planOrganizationMerge(survivor, duplicate, holdings, keys, request.keep);
      const undoUntil = undoDeadline(now, settings.mergeUndoDays);
      const before = await this.present(trx, principal, survivor);
      const resultRow: OrganizationRow = {
        ...survivor,
        name: plan.kept.name,
        name_key: plan.kept.name.toLowerCase(),
        notes: plan.kept.notes,
        custom_fields: JSON.stringify(plan.kept.customFields),
        updated_at: now,
      };
      if (dryRun) {
        const duplicateShown = await this.present(trx, principal, duplicate);
        return {
          survivor: before,
          duplicate: duplicateShown,
          result: {
            ...orgRepo.organizationRowToOrganization(
              resultRow,
              [...before.domains, ...duplicateShown.domains].sort(),
              before.customerCount + holdings.customers.length,
            ),
          },
          conflicts: plan.conflicts,
          moves: plan.moves,
          undoUntil,
        };
      }
      // The pointer frees its name first: the survivor may be taking it.
      await repo.setPointer(trx, accountId, duplicate.id, survivorId, plan.journal.pointerNameKey);
      await orgRepo.updateOrganizationRow(trx, accountId, survivorId, {
        name: resultRow.name,
        name_key: resultRow.name_key,
        notes: resultRow.notes,
        custom_fields: resultRow.custom_fields,
        updated_at: now,
      });
      const journal: moves.OrganizationMergeJournal = {
        ...plan.journal,
        survivorAfterUpdatedAt: now,
      };
      const context = this.context(
        principal,
        [
          [duplicate.id, duplicate.name],
          [survivorId, resultRow.name],
        ],
        now,
      );
      await moves.moveToSurvivor(trx, accountId, journal, duplicate.id, survivorId);
      // The customers through the write model, as moving customers to an organization does:
      // row, search text, audit entry, duplicate suggestions and webhook events from one place.
      // Each is checked against the version it was read at: one changed meanwhile undoes all.
      const additional = await additionalIdentitiesOf(trx, accountId, holdings.customers);
      await writeCustomers(trx, this.writes(context, holdings.customers, survivorId, additional));
      const mergeRow = {
        account_id: accountId,
        id: newId(),
        survivor_id: survivorId,
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
      const organization = await this.present(trx, principal, resultRow);
      const merge = mergeRowToRecord(mergeRow, null);
      const pointer = await this.present(trx, principal, {
        ...duplicate,
        merged_into_id: survivorId,
        name_key: plan.journal.pointerNameKey,
      });
      await recordWebhookEvent(
        trx,
        accountId,
        { type: 'organization.merged', data: { organization, duplicate: pointer, merge } },
        now,
      );
      return { merge, organization, moved: plan.moves } satisfies Result;
    });
  }

  /** Why this merge cannot be undone now, with the sentence saying what changed; null: it can. */
  private async obstacle(
    db: Conn,
    row: Awaited<ReturnType<typeof repo.findMerge>> & object,
    now: string,
  ): Promise<AppError | null> {
    const byTime = undoBlockedByTime(row, now);
    if (byTime) return undoRefused(byTime);
    const accountId = row.account_id;
    const j = JSON.parse(row.journal) as moves.OrganizationMergeJournal;
    const survivor = await orgRepo.findOrganization(db, accountId, row.survivor_id);
    if (!survivor) {
      const gone = !(await orgRepo.findOrganizationRecord(db, accountId, row.survivor_id));
      return undoRefused('changed_since', gone ? TEXT.survivorDeleted : TEXT.survivorMerged);
    }
    if (survivor.updated_at !== j.survivorAfterUpdatedAt)
      return undoRefused('changed_since', TEXT.survivorEdited(survivor.name));
    for (const key of [j.survivor.name_key, j.duplicate.name_key]) {
      const holder = await repo.nameKeyHolder(db, accountId, key);
      if (holder && holder.id !== survivor.id)
        return undoRefused('changed_since', TEXT.nameTaken(holder.name));
    }
    const found = await moves.undoObstacles(db, accountId, j, survivor.id);
    if (found.erasedCustomers > 0) return undoRefused('erased', TEXT.erased(found.erasedCustomers));
    const kinds = Object.entries(found.moved);
    if (kinds.length)
      return new ConflictError(
        'merge_changed_since',
        TEXT.changedSince(survivor.name, found.moved),
        { changed: found.moved },
      );
    return null;
  }

  async undo(principal: Principal, mergeId: string) {
    const accountId = principal.accountId;
    const now = nowIso();
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.findMerge(trx, accountId, mergeId);
      // Out of a scoped agent's sight it does not exist; to whoever sees everything, a survivor
      // deleted or merged away since is a reason given below, not a missing merge.
      const hidden =
        !principal.scope.all && !(await this.visible(trx, principal, row?.survivor_id ?? ''));
      if (!row || hidden) throw new NotFoundError('organization_merge', mergeId);
      this.requireWhole(principal, row.survivor_id);
      if (!(await repo.lockOne(trx, accountId, row.survivor_id)))
        throw (await this.obstacle(trx, row, now)) ?? undoRefused('changed_since');
      const refused = await this.obstacle(trx, row, now);
      if (refused) throw refused;
      const j = JSON.parse(row.journal) as moves.OrganizationMergeJournal;
      await orgRepo.updateOrganizationRow(trx, accountId, row.survivor_id, {
        ...j.survivor,
        updated_at: j.survivorUpdatedAt,
      });
      await repo.clearPointer(trx, accountId, row.merged_id, j.duplicate.name_key);
      const current = await repo.customersByIds(
        trx,
        accountId,
        j.customers.map((c) => c.id),
      );
      const context = this.context(
        principal,
        [
          [row.survivor_id, j.survivor.name],
          [row.merged_id, j.duplicate.name],
        ],
        now,
      );
      // The undo writes its customers' rows itself (moveBack), not through writeCustomers: an
      // untouched customer gets back the very version and updated_at it had before the merge
      // (an If-Match read before the merge still holds after its undo), which no write model
      // change does, as every change takes the version up. Its audit entries and what follows a
      // write (afterCustomerWrites) still come from the write model's builders.
      const writes = this.writes(
        context,
        current,
        row.merged_id,
        await additionalIdentitiesOf(trx, accountId, current),
      );
      await moves.moveBack(trx, accountId, j, row.survivor_id, row.merged_id, audits(writes), now);
      // As the undo left them: an untouched customer has its old version and updated_at back.
      const customersNow = new Map(
        (
          await repo.customersByIds(
            trx,
            accountId,
            writes.map((w) => w.row.id),
          )
        ).map((r) => [r.id, r]),
      );
      await afterCustomerWrites(
        trx,
        writes.map((w) => ({ ...w, row: customersNow.get(w.row.id) ?? w.row })),
      );
      await repo.markMergeUndone(trx, accountId, mergeId, now, principal.name);
      const survivor = await this.present(
        trx,
        principal,
        await this.live(trx, principal, row.survivor_id),
      );
      const restoredRow = await orgRepo.findOrganization(trx, accountId, row.merged_id);
      if (!restoredRow) throw new NotFoundError('organization', row.merged_id);
      const restored = await this.present(trx, { ...principal, scope: ALL }, restoredRow);
      for (const organization of [survivor, restored])
        await recordWebhookEvent(
          trx,
          accountId,
          { type: 'organization.updated', data: { organization } },
          now,
        );
      const merge = mergeRowToRecord(
        { ...row, undone_at: now, undone_by_name: principal.name },
        'undone',
      );
      return { merge, survivor, restored };
    });
  }

  /** The merges an organization took part in (the undo banner), newest first. */
  async listFor(principal: Principal, organizationId: string): Promise<{ items: MergeRecord[] }> {
    const accountId = principal.accountId;
    const own = await orgRepo.findOrganizationRecord(this.db, accountId, organizationId);
    const shownId = own?.merged_into_id ?? organizationId;
    if (!own || !(await this.visible(this.db, principal, shownId)))
      throw new NotFoundError('organization', organizationId);
    const rows = await repo.listMergesOf(this.db, accountId, organizationId);
    const now = nowIso();
    const items: MergeRecord[] = [];
    for (const row of rows) {
      const refused = await this.obstacle(this.db, row, now);
      items.push(mergeRowToRecord(row, refused ? blockOf(refused) : null));
    }
    return { items };
  }
}

function blockOf(error: AppError): MergeRecord['undoBlockedBy'] {
  switch (error.code) {
    case 'merge_undone':
      return 'undone';
    case 'merge_undo_expired':
      return 'expired';
    case 'merge_erased':
      return 'erased';
    default:
      return 'changed_since';
  }
}
