// What merging two organizations will do, decided once and pure (issue 15): which name, notes
// and custom fields the survivor keeps (per `keep`), what of the duplicate's moves and how many,
// and which of its locations and notification groups are renamed because the survivor has one
// of that name. The preview (?dryRun=true) and the merge are both this plan, so they agree.
import { fieldError } from '../../common/field-error-codes.ts';
import type { CustomFieldValues } from '../../common/custom-field.ts';
import {
  ORGANIZATION_MERGE_FIELDS,
  type MergeConflict,
  type MergeSide,
} from '../../common/merge.ts';
import type { OrganizationRow } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import type { OrganizationMergeJournal, Renamed } from './organization-merge-moves.repository.ts';
import type { DuplicateHoldings, SurvivorKeys } from './organization-merge.repository.ts';

export interface OrganizationMergePlan {
  conflicts: MergeConflict[];
  /** The survivor's own values after the merge. */
  kept: { name: string; notes: string | null; customFields: CustomFieldValues };
  moves: Record<string, number>;
  /** The journal without what only the write knows (the survivor's new updated_at). */
  journal: Omit<OrganizationMergeJournal, 'survivorAfterUpdatedAt'>;
}

const empty = (v: unknown) => v === null || v === undefined || v === '';
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Each key of `keep` must name a merge field or one of the two's custom fields. */
function checkKeep(keep: Record<string, MergeSide>, fieldKeys: Set<string>) {
  const errors = Object.keys(keep)
    .filter((key) => {
      if ((ORGANIZATION_MERGE_FIELDS as readonly string[]).includes(key)) return false;
      const custom = /^customFields\.(.+)$/.exec(key);
      return !(custom && fieldKeys.has(custom[1] ?? ''));
    })
    .map((key) => fieldError(`keep.${key}`, 'unknown_field', 'not a field of these organizations'));
  if (errors.length) throw new ValidationError(errors);
}

/** A name for a row moving in whose name the survivor already has: "Oslo (Acme)", "Oslo (Acme 2)". */
function renameFree(name: string, from: string, taken: Set<string>): Renamed {
  for (let n = 1; ; n++) {
    const candidate = `${name} (${from}${n > 1 ? ` ${n}` : ''})`;
    const key = candidate.toLowerCase();
    if (!taken.has(key)) {
      taken.add(key);
      return { name: candidate, name_key: key };
    }
  }
}

export function planOrganizationMerge(
  survivor: OrganizationRow,
  duplicate: OrganizationRow,
  holdings: DuplicateHoldings,
  keys: SurvivorKeys,
  keep: Record<string, MergeSide>,
): OrganizationMergePlan {
  const survivorFields = JSON.parse(survivor.custom_fields) as CustomFieldValues;
  const duplicateFields = JSON.parse(duplicate.custom_fields) as CustomFieldValues;
  checkKeep(keep, new Set([...Object.keys(survivorFields), ...Object.keys(duplicateFields)]));
  const conflicts: MergeConflict[] = [];
  // Where the two differ: the side `keep` names, else the survivor's unless it has none.
  const choose = <T>(field: string, mine: T, theirs: T): T => {
    if (same(mine, theirs) || empty(theirs)) return mine;
    const kept = keep[field] ?? (empty(mine) ? 'duplicate' : 'survivor');
    conflicts.push({ field, survivor: mine ?? null, duplicate: theirs ?? null, kept });
    return kept === 'duplicate' ? theirs : mine;
  };
  const name = choose('name', survivor.name, duplicate.name);
  const notes = choose('notes', survivor.notes, duplicate.notes);
  const customFields: CustomFieldValues = {};
  const fieldKeys = [...new Set([...Object.keys(survivorFields), ...Object.keys(duplicateFields)])];
  for (const key of fieldKeys.sort()) {
    // The union: a field only one of them has is simply kept; only a clash is a choice.
    const value =
      survivorFields[key] === undefined
        ? duplicateFields[key]
        : choose(`customFields.${key}`, survivorFields[key], duplicateFields[key]);
    if (value !== undefined) customFields[key] = value;
  }

  const locationKeys = new Set(keys.locationKeys);
  const locations = holdings.locations.map((l) => ({
    ...l,
    renamed: locationKeys.has(l.name_key) ? renameFree(l.name, duplicate.name, locationKeys) : null,
  }));
  const groupKeys = new Set(keys.groupKeys);
  const groups = holdings.groups.map((g) => ({
    ...g,
    renamed: groupKeys.has(g.name_key) ? renameFree(g.name, duplicate.name, groupKeys) : null,
  }));
  // The duplicate's routing rules come after the survivor's, in their order.
  const rules = holdings.rules.map((r, index) => ({
    ...r,
    newPosition: keys.maxRulePosition + 1 + index,
  }));
  const grantsDropped = holdings.grants.filter((g) => keys.grantedCustomers.has(g.customer_id));
  const grantsMoved = holdings.grants.filter((g) => !keys.grantedCustomers.has(g.customer_id));

  return {
    conflicts,
    kept: { name, notes, customFields },
    moves: {
      domains: holdings.domains.length,
      customers: holdings.customers.length,
      tickets: holdings.ticketIds.length,
      locations: locations.length,
      areas: holdings.areaIds.length,
      contracts: holdings.contractIds.length,
      timeEntries: holdings.timeEntries,
      routingRules: rules.length,
      notificationGroups: groups.length,
      teamAccess: holdings.teamAccessIds.length,
      hubGrants: holdings.grants.length,
    },
    journal: {
      v: 1,
      survivor: {
        name: survivor.name,
        name_key: survivor.name_key,
        notes: survivor.notes,
        custom_fields: survivor.custom_fields,
      },
      survivorUpdatedAt: survivor.updated_at,
      duplicate: { name: duplicate.name, name_key: duplicate.name_key },
      // Never a name a person can type (names are trimmed, and this ends in the id): the pointer
      // frees its name at once, and an undo takes it back unless someone has it by then.
      pointerNameKey: ` merged ${duplicate.id}`,
      domains: holdings.domains,
      customers: holdings.customers.map((c) => ({
        id: c.id,
        version: Number(c.version),
        updatedAt: c.updated_at,
      })),
      ticketIds: holdings.ticketIds,
      locations,
      areaIds: holdings.areaIds,
      contractIds: holdings.contractIds,
      rules,
      groups,
      teamAccessIds: holdings.teamAccessIds,
      grantsMoved,
      grantsDropped,
    },
  };
}
