// The journal of a customer merge (customer_merges.journal, JSON): both rows as they were, both
// customers' identities, the survivor's merged columns as the merge left them, and the key of
// every row that moved or was dropped. An undo reads only this; erasure deletes it with the
// person (erasure-steps.ts), since it is a copy of them.
import type { MergeConflict } from '../../common/merge.ts';
import type {
  CustomerIdentityTable,
  CustomerRow,
  DuplicateSuggestionTable,
  HubLoginTable,
  HubOrganizationGrantTable,
  NotificationGroupMemberRow,
} from '../db/database.ts';
import type { Changes } from '../customers/customer-write.ts';
import type { MergedValues } from './customer-merge-plan.ts';
import type { MovableKind } from './customer-merge.repository.ts';

export interface CustomerMergeJournal {
  format: 1;
  survivor: CustomerRow;
  duplicate: CustomerRow;
  /** The survivor's merged columns right after the merge: an undo refuses if they changed. */
  survivorAfter: MergedValues;
  /** Both customers' identities as they were (survivor's and duplicate's). */
  identities: CustomerIdentityTable[];
  /** Rows pointed from the duplicate to the survivor, by kind (identities as kind:value). */
  moved: Record<MovableKind, string[]>;
  /** The duplicate's notification group rows: re-pointed, or dropped where the survivor was in. */
  groupMembers: { moved: string[]; dropped: NotificationGroupMemberRow[] };
  /** The duplicate's Hub sign-in: taken over when the survivor had none, else dropped. */
  hubLogin: { moved: boolean; dropped: HubLoginTable | null };
  /** The duplicate's Hub grants: re-pointed (organization ids), or dropped as the survivor's. */
  hubGrants: { moved: string[]; dropped: HubOrganizationGrantTable[] };
  /** Duplicate suggestions that named the duplicate (the pair is one customer now). */
  suggestions: DuplicateSuggestionTable[];
  conflicts: MergeConflict[];
  changes: Changes;
}

export function parseJournal(text: string): CustomerMergeJournal {
  return JSON.parse(text) as CustomerMergeJournal;
}
