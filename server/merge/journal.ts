// What customer and organization merges share (issue 15): the undo window, a journal row as the
// API presents it (MergeRecord), and the refusals of an undo. Both merge kinds keep their journal
// in a MergeTable (customer_merges, organization_merges); what is inside `journal` is theirs.
import type { MergeRecord } from '../../common/merge.ts';
import type { MergeTable } from '../db/database.ts';
import { ConflictError } from '../errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last moment a merge made at `now` can be undone, `days` later (settings.mergeUndoDays). */
export function undoDeadline(now: string, days: number): string {
  return new Date(Date.parse(now) + days * DAY_MS).toISOString();
}

export type UndoBlock = NonNullable<MergeRecord['undoBlockedBy']>;

/** Why a journal row cannot be undone whatever the data says (undone, past its window), or null. */
export function undoBlockedByTime(row: MergeTable, now: string): UndoBlock | null {
  if (row.undone_at) return 'undone';
  if (Date.parse(now) > Date.parse(row.undo_until)) return 'expired';
  return null;
}

export function mergeRowToRecord(row: MergeTable, undoBlockedBy: UndoBlock | null): MergeRecord {
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

/**
 * The 409 an undo gets when it must not run: `merge_undone`, `merge_undo_expired`, or
 * `merge_changed_since` / `merge_erased` with the sentence saying what changed since.
 */
export function undoRefused(block: UndoBlock, detail?: string): ConflictError {
  switch (block) {
    case 'undone':
      return new ConflictError('merge_undone', 'This merge was undone already');
    case 'expired':
      return new ConflictError('merge_undo_expired', 'The time to undo this merge has run out');
    case 'erased':
      return new ConflictError(
        'merge_erased',
        detail ?? 'A customer of this merge was erased since, so it cannot be undone',
      );
    case 'changed_since':
      return new ConflictError(
        'merge_changed_since',
        detail ??
          'Something this merge moved was changed since, so undoing it would overwrite that',
      );
  }
}
