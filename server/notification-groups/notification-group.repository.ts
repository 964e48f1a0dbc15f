// SQL for notification groups and their members. Every statement is scoped by account_id.
import type {
  NotificationGroupMemberRow,
  NotificationGroupRow,
  NotificationGroupTable,
} from '../db/database.ts';
import type { Conn } from '../db/transaction.ts';

export async function insertGroup(db: Conn, row: NotificationGroupRow): Promise<void> {
  await db.insertInto('notification_groups').values(row).execute();
}

export async function findGroup(db: Conn, accountId: string, id: string) {
  return db
    .selectFrom('notification_groups')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listGroupRows(db: Conn, accountId: string, organizationId: string) {
  return db
    .selectFrom('notification_groups')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('organization_id', '=', organizationId)
    .orderBy('name_key')
    .orderBy('id')
    .limit(500)
    .execute();
}

export async function updateGroupRow(
  db: Conn,
  accountId: string,
  id: string,
  set: Partial<NotificationGroupTable>,
): Promise<void> {
  await db
    .updateTable('notification_groups')
    .set(set)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function deleteGroupRow(db: Conn, accountId: string, id: string): Promise<void> {
  await db
    .deleteFrom('notification_group_members')
    .where('account_id', '=', accountId)
    .where('group_id', '=', id)
    .execute();
  await db
    .deleteFrom('notification_groups')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}

export async function membersOf(db: Conn, accountId: string, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db
    .selectFrom('notification_group_members')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('group_id', 'in', groupIds)
    .orderBy('id')
    .execute();
}

export async function insertMember(db: Conn, row: NotificationGroupMemberRow): Promise<void> {
  await db.insertInto('notification_group_members').values(row).execute();
}

/** Takes a customer out of every notification group (their erasure). */
/** Erasure: the memberships of these customers (an erasure batch, at most a few hundred). */
export async function deleteMembershipsOf(
  db: Conn,
  accountId: string,
  customerIds: string[],
): Promise<void> {
  if (!customerIds.length) return;
  await db
    .deleteFrom('notification_group_members')
    .where('account_id', '=', accountId)
    .where('customer_id', 'in', customerIds)
    .execute();
}

export async function deleteMember(
  db: Conn,
  accountId: string,
  groupId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('notification_group_members')
    .where('account_id', '=', accountId)
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
