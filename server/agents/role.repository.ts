// SQL for changing roles and counting who holds them (reading and inserting roles is in
// agent.repository.ts, beside the agents that the roles belong to).
import type { Permission } from '../../common/permissions.ts';
import type { Conn } from '../db/transaction.ts';

export async function updateRole(
  db: Conn,
  accountId: string,
  roleId: string,
  patch: { name?: string; permissions?: Permission[] },
): Promise<void> {
  await db
    .updateTable('roles')
    .set({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.permissions === undefined
        ? {}
        : { permissions: JSON.stringify(patch.permissions) }),
    })
    .where('account_id', '=', accountId)
    .where('id', '=', roleId)
    .execute();
}

export async function deleteRole(db: Conn, accountId: string, roleId: string): Promise<void> {
  await db
    .deleteFrom('roles')
    .where('account_id', '=', accountId)
    .where('id', '=', roleId)
    .execute();
}

/** How many agents (in any status) hold each role. */
export async function agentCountsByRole(db: Conn, accountId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('users')
    .select(['role_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('account_id', '=', accountId)
    .groupBy('role_id')
    .execute();
  return new Map(rows.map((r) => [r.role_id, Number(r.n)]));
}
