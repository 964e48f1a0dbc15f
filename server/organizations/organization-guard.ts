// What a write that names an organization checks first (issue 15): that it is live, not a
// pointer an organization merge left, and in the principal's scope. Checked under the row's
// lock in the write's own transaction (lockOrganizationRow): a merge committing meanwhile is
// waited for and seen, so a pointer never gains a location, a contract, a customer or a team.
import type { Scope } from '../access/scope.ts';
import { ALL } from '../access/scope.ts';
import type { OrganizationRow } from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError, type AppError } from '../errors.ts';
import { ORGANIZATION_MERGE_SENTENCES } from '../merge/organization-merge-texts.ts';
import {
  findOrganization,
  findOrganizationRecord,
  lockOrganizationRow,
} from './organization.repository.ts';

/** A write on (or naming) a merged-away organization: refused, naming where it went. */
export function organizationMergedError(mergedInto: string): ConflictError {
  return new ConflictError('organization_merged', ORGANIZATION_MERGE_SENTENCES.pointerReadOnly, {
    mergedInto,
  });
}

/**
 * The organization when it is live and in `scope`, held until the transaction ends; undefined
 * when there is none (the caller words that: a 404, or a field error); 409 organization_merged
 * when it was merged into one the scope sees.
 */
export async function lockOrganizationUnlessMerged(
  db: Conn,
  accountId: string,
  id: string,
  scope: Scope = ALL,
): Promise<OrganizationRow | undefined> {
  return liveOrganization(db, accountId, await lockOrganizationRow(db, accountId, id), scope);
}

/** lockOrganizationUnlessMerged, with `missing()` (a 404) when there is none. */
export async function lockLiveOrganization(
  db: Conn,
  accountId: string,
  id: string,
  scope: Scope = ALL,
  missing: () => AppError = () => new NotFoundError('organization', id),
): Promise<OrganizationRow> {
  const row = await lockOrganizationUnlessMerged(db, accountId, id, scope);
  if (!row) throw missing();
  return row;
}

/**
 * The same answer without the lock, for the organization a path names before the write's
 * transaction opens (the write checks again under the lock).
 */
export async function requireLiveOrganization(
  db: Conn,
  accountId: string,
  id: string,
  scope: Scope = ALL,
): Promise<OrganizationRow> {
  const row = await liveOrganization(
    db,
    accountId,
    await findOrganizationRecord(db, accountId, id),
    scope,
  );
  if (!row) throw new NotFoundError('organization', id);
  return row;
}

async function liveOrganization(
  db: Conn,
  accountId: string,
  row: OrganizationRow | undefined,
  scope: Scope,
): Promise<OrganizationRow | undefined> {
  if (!row) return undefined;
  if (row.merged_into_id) {
    if (await findOrganization(db, accountId, row.merged_into_id, scope))
      throw organizationMergedError(row.merged_into_id);
    return undefined;
  }
  // Every live organization is in the whole scope: a second read only for a limited one.
  if (scope.all) return row;
  return (await findOrganization(db, accountId, row.id, scope)) ? row : undefined;
}
