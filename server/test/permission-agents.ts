// The permission matrix's principals as real agents (server/http/permission-matrix.test.ts): the
// no-permission roles and the Agent-role agents inserted through the repository with one shared
// password hash (scrypt at full cost would be most of the set-up), and their session cookies.
import { PERMISSIONS, type Permission } from '../../common/permissions.ts';
import { findBuiltInRole, insertRole, insertUser } from '../agents/agent.repository.ts';
import { SESSION_COOKIE } from '../agents/agent.routes.ts';
import { hashPassword } from '../agents/password.ts';
import { newId } from '../db/ids.ts';
import type { Services } from '../services.ts';
import { unique } from './factories.ts';

export const cookieHeader = (cookie: string) => ({ cookie: `${SESSION_COOKIE}=${cookie}` });

/** A new session for an agent: the console's credential. */
export async function sessionHeaders(services: Services, accountId: string, userId: string) {
  const { cookie } = await services.agents.startSessionFor(accountId, userId);
  return cookieHeader(cookie);
}

/** An agent of the account whose role has every permission but one. */
export async function agentWithout(services: Services, accountId: string, missing: Permission) {
  const roleId = newId();
  await insertRole(
    services.db.kysely,
    accountId,
    {
      id: roleId,
      name: `Without ${missing}`,
      permissions: PERMISSIONS.filter((p) => p !== missing),
      builtIn: null,
    },
    new Date().toISOString(),
  );
  return agentOfRole(services, accountId, roleId);
}

/** One hash for every matrix agent: scrypt at full cost is most of the set-up otherwise. */
let matrixPasswordHash: Promise<string> | undefined;

/**
 * A new agent of the account (the built-in Agent role when no role is given), written through
 * the repository with a shared password hash; sessions are started for it directly.
 */
export async function agentOfRole(services: Services, accountId: string, roleId?: string) {
  const db = services.db.kysely;
  const role = roleId ?? (await findBuiltInRole(db, accountId, 'agent'))?.id;
  if (!role) throw new Error('no Agent role');
  matrixPasswordHash ??= hashPassword('correct horse battery');
  const now = new Date().toISOString();
  const id = newId();
  await insertUser(db, {
    account_id: accountId,
    id,
    email: `${unique('matrix')}@agents.example`,
    name: 'Matrix Tester',
    password_hash: await matrixPasswordHash,
    role_id: role,
    locale: 'en',
    status: 'active',
    created_at: now,
    updated_at: now,
  });
  return id;
}
