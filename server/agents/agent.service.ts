// Accounts, agents, logins, sessions and API tokens: the rules; SQL is in the repositories.
import { fieldError, refusedField } from '../../common/field-error-codes.ts';
import { fieldErrors } from '../http/validation.ts';
import type { Kysely, Transaction } from 'kysely';
import { passwordSchema, type Session, type User, type UserCreate } from '../../common/auth.ts';
import { BUILT_IN_ROLES, type Permission } from '../../common/permissions.ts';
import { accountSettingsSchema, type Locale } from '../../common/settings.ts';
import { findAccount, hasAnyAccount, insertAccount } from '../accounts/account.repository.ts';
import type { Database, UserRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { inTransaction } from '../db/transaction.ts';
import {
  AppError,
  ConflictError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  isUniqueViolation,
} from '../errors.ts';
import { normalizeEmail } from '../customers/identity.ts';
import * as repo from './agent.repository.ts';
import {
  hashPassword,
  PASSWORD_COST,
  verifyDecoyPassword,
  verifyPassword,
  type PasswordCost,
} from './password.ts';
import type { Principal } from './principal.ts';
import { memoryLimiters, type Limiters } from './rate-limit.ts';
import { PrincipalCache } from './principal-cache.ts';
import { resolveScope } from '../access/scope.ts';
import {
  formatSessionCookie,
  formatToken,
  hashSecret,
  newSecret,
  parseSessionCookie,
  parseToken,
} from './secrets.ts';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export function checkPassword(password: string): void {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) {
    const [first] = fieldErrors(parsed.error, password);
    throw new ValidationError([
      { ...(first ?? fieldError('', 'invalid', 'not valid')), field: 'password' },
    ]);
  }
}

export function loginEmail(input: string): string {
  const normalized = normalizeEmail(input);
  if (!normalized.ok) throw new ValidationError([refusedField('email', normalized)]);
  return normalized.value;
}

export function userRowToUser(row: UserRow, roleName: string, teamIds: string[] = []): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roleId: row.role_id,
    roleName,
    locale: row.locale === 'nb' ? 'nb' : 'en',
    status: row.status === 'deactivated' ? 'deactivated' : row.password_hash ? 'active' : 'invited',
    teamIds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class AgentService {
  private readonly failuresByEmail;
  private readonly failuresByIp;

  private readonly principals: PrincipalCache;
  private readonly passwordCost: PasswordCost;

  /** The login throttle's clock; tests move it past the window. */
  clock: () => number = Date.now;

  constructor(
    private readonly db: Kysely<Database>,
    options: { authCacheMs?: number; passwordCost?: PasswordCost; limiters?: Limiters } = {},
  ) {
    // In memory unless services.ts hands the database's (several nodes: shared-rate-limit.ts).
    const limiters = options.limiters ?? memoryLimiters;
    this.failuresByEmail = limiters('agent-login-email', { limit: 10, windowMs: 15 * 60_000 });
    this.failuresByIp = limiters('agent-login-ip', { limit: 50, windowMs: 15 * 60_000 });
    this.principals = new PrincipalCache(options.authCacheMs);
    this.passwordCost = options.passwordCost ?? PASSWORD_COST;
  }

  async isSetupNeeded(): Promise<boolean> {
    return !(await hasAnyAccount(this.db));
  }

  /** Creates an account with its built-in roles and its first administrator. */
  async createAccount(input: {
    accountName: string;
    name: string;
    email: string;
    password: string;
    locale?: Locale;
  }): Promise<{ accountId: string; userId: string }> {
    const email = loginEmail(input.email);
    checkPassword(input.password);
    const passwordHash = await hashPassword(input.password, this.passwordCost);
    const accountId = newId();
    const userId = newId();
    const now = nowIso();
    try {
      await this.db.transaction().execute(async (trx) => {
        await insertAccount(trx, {
          id: accountId,
          name: input.accountName,
          // The language chosen at setup is the account's default and the administrator's own, so
          // a console set up in Norwegian does not come up in English after it.
          settings: accountSettingsSchema.parse({ defaultLocale: input.locale }),
          createdAt: now,
        });
        let adminRoleId = '';
        for (const [key, role] of Object.entries(BUILT_IN_ROLES)) {
          const id = newId();
          if (key === 'administrator') adminRoleId = id;
          await repo.insertRole(
            trx,
            accountId,
            { id, name: role.name, permissions: [...role.permissions], builtIn: key },
            now,
          );
        }
        await repo.insertUser(trx, {
          account_id: accountId,
          id: userId,
          email,
          name: input.name,
          password_hash: passwordHash,
          role_id: adminRoleId,
          locale: input.locale ?? 'en',
          status: 'active',
          created_at: now,
          updated_at: now,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken(email);
      throw error;
    }
    return { accountId, userId };
  }

  /** First-run setup: only while the database has no account at all. */
  async setupFirstAccount(input: Parameters<AgentService['createAccount']>[0]) {
    if (!(await this.isSetupNeeded())) {
      throw new AppError(
        409,
        'setup_done',
        'Already set up',
        'Kunde already has an account; log in',
      );
    }
    return this.createAccount(input);
  }

  /**
   * Writes a new agent (in the caller's transaction when given). Without a password the agent
   * is invited: no password hash until they set one (AgentAdminService sends the link).
   */
  async createUser(
    accountId: string,
    input: Omit<UserCreate, 'teamIds'>,
    trx?: Transaction<Database>,
  ): Promise<User> {
    const email = loginEmail(input.email);
    if (input.password !== undefined) checkPassword(input.password);
    const conn = trx ?? this.db;
    const role = input.roleId
      ? await repo.findRole(conn, accountId, input.roleId)
      : await repo.findBuiltInRole(conn, accountId, 'agent');
    if (!role) {
      throw new ValidationError([fieldError('roleId', 'unknown_reference', 'no such role')]);
    }
    const now = nowIso();
    const row: UserRow = {
      account_id: accountId,
      id: newId(),
      email,
      name: input.name,
      password_hash:
        input.password === undefined ? null : await hashPassword(input.password, this.passwordCost),
      role_id: role.id,
      // Without a language of their own, an agent starts in the account's default.
      locale: input.locale ?? (await findAccount(conn, accountId))?.settings.defaultLocale ?? 'en',
      status: 'active',
      created_at: now,
      updated_at: now,
    };
    try {
      await inTransaction(this.db, trx, (t) => repo.insertUser(t, row));
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken(email);
      throw error;
    }
    return userRowToUser(row, role.name);
  }

  async listUsers(accountId: string): Promise<User[]> {
    const [rows, roles] = await Promise.all([
      repo.listUsers(this.db, accountId),
      repo.listRoles(this.db, accountId),
    ]);
    const names = new Map(roles.map((r) => [r.id, r.name]));
    return rows.map((row) => userRowToUser(row, names.get(row.role_id) ?? ''));
  }

  listRoles(accountId: string) {
    return repo.listRoles(this.db, accountId);
  }

  /**
   * Checks an email and password; the same answer and about the same time for an unknown email
   * as for a wrong password. Throttled per email and per client IP.
   */
  async login(
    emailInput: string,
    password: string,
    ip: string,
  ): Promise<{ cookie: string; principal: Principal }> {
    const normalized = normalizeEmail(emailInput);
    const email = normalized.ok ? normalized.value : emailInput.trim().toLowerCase();
    const attempt = await this.reserveLoginAttempt(email, ip);
    const login = normalized.ok ? await repo.findLoginByEmail(this.db, email) : undefined;
    const user = login ? await repo.findUser(this.db, login.accountId, login.userId) : undefined;
    const ok =
      user?.password_hash && user.status === 'active'
        ? await verifyPassword(password, user.password_hash)
        : await verifyDecoyPassword(password, this.passwordCost);
    if (!ok || !user) {
      throw new AppError(
        401,
        'invalid_credentials',
        'Wrong email or password',
        'Wrong email or password',
      );
    }
    // Only this attempt is handed back: a success must not reopen the window for guesses that
    // are still in flight or come next.
    await attempt.refund();
    return this.startSession(user);
  }

  /**
   * Counts one password check against the login throttle (per email and per client IP) before
   * the hash is checked, or refuses with 429. Login and the agent's own password change share
   * it: a wrong current password is a failed login. `refund` hands back a success's attempt.
   */
  async reserveLoginAttempt(email: string, ip: string): Promise<{ refund(): Promise<void> }> {
    // Both attempts are counted before the hash is checked (see rate-limit.ts), so concurrent
    // guesses cannot all read the same count.
    const now = this.clock();
    const byEmail = await this.failuresByEmail.reserve(email, now);
    const byIp = byEmail.ok ? await this.failuresByIp.reserve(ip, now) : undefined;
    if (!byEmail.ok || !byIp?.ok) {
      if (byEmail.ok) await byEmail.reservation.refund();
      const wait = !byEmail.ok ? byEmail.retryAfterMs : byIp && !byIp.ok ? byIp.retryAfterMs : 0;
      throw new AppError(
        429,
        'rate_limited',
        'Too many failed logins',
        'Too many failed logins; try again later',
        {
          retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
        },
      );
    }
    return {
      refund: async () => {
        await byEmail.reservation.refund();
        await byIp.reservation.refund();
      },
    };
  }

  /** A fresh session id at every login (never reuses one the browser sent). */
  async startSession(user: UserRow): Promise<{ cookie: string; principal: Principal }> {
    const secret = newSecret();
    const now = new Date();
    const idHash = hashSecret(secret);
    await repo.insertSession(this.db, {
      accountId: user.account_id,
      idHash,
      userId: user.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    });
    await repo.deleteExpiredSessions(this.db, user.account_id, now.toISOString());
    const principal = await this.principalFor(user, 'user');
    if (!principal) throw new UnauthenticatedError();
    return {
      cookie: formatSessionCookie(user.account_id, secret),
      principal: { ...principal, sessionHash: idHash },
    };
  }

  async startSessionFor(accountId: string, userId: string) {
    const user = await repo.findUser(this.db, accountId, userId);
    if (!user) throw new NotFoundError('user', userId);
    return this.startSession(user);
  }

  /** Forgets what this node knows of the agent's sessions and tokens (ended, or changed). */
  forgetUser(accountId: string, userId: string): void {
    this.principals.forget((_key, p) => p.accountId === accountId && p.userId === userId);
  }

  /** Forgets every principal of the account: a role's permissions changed. */
  forgetAccount(accountId: string): void {
    this.principals.forget((_key, p) => p.accountId === accountId);
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.sessionHash) {
      const hash = principal.sessionHash;
      this.principals.forget((_key, p) => p.sessionHash === hash);
      await repo.deleteSession(this.db, principal.accountId, hash);
    }
  }

  async principalFromSessionCookie(cookie: string): Promise<Principal | undefined> {
    const cached = this.principals.get(`session:${cookie}`);
    if (cached) return cached;
    const principal = await this.resolveSessionCookie(cookie);
    if (principal) this.principals.set(`session:${cookie}`, principal);
    return principal;
  }

  private async resolveSessionCookie(cookie: string): Promise<Principal | undefined> {
    const parsed = parseSessionCookie(cookie);
    if (!parsed) return undefined;
    const idHash = hashSecret(parsed.secret);
    const userId = await repo.findSessionUser(this.db, parsed.accountId, idHash, nowIso());
    if (!userId) return undefined;
    const user = await repo.findUser(this.db, parsed.accountId, userId);
    const principal = user && (await this.principalFor(user, 'user'));
    return principal ? { ...principal, sessionHash: idHash } : undefined;
  }

  async principalFromToken(token: string): Promise<Principal | undefined> {
    const cached = this.principals.get(`token:${token}`);
    if (cached) return cached;
    const principal = await this.resolveToken(token);
    if (principal) this.principals.set(`token:${token}`, principal);
    return principal;
  }

  private async resolveToken(token: string): Promise<Principal | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const found = await repo.findActiveToken(this.db, parsed.accountId, hashSecret(parsed.secret));
    if (!found) return undefined;
    const user = await repo.findUser(this.db, parsed.accountId, found.userId);
    const principal = user && (await this.principalFor(user, 'token'));
    if (!principal) return undefined;
    // Record use at most once a minute, so reads do not turn into writes.
    const now = new Date();
    if (!found.lastUsedAt || now.getTime() - Date.parse(found.lastUsedAt) > 60_000) {
      await repo.touchToken(this.db, parsed.accountId, found.id, now.toISOString());
    }
    return { ...principal, tokenId: found.id };
  }

  private async principalFor(
    user: UserRow,
    type: 'user' | 'token',
  ): Promise<Principal | undefined> {
    if (user.status !== 'active') return undefined;
    const role = await repo.findRole(this.db, user.account_id, user.role_id);
    const permissions = new Set<Permission>(role?.permissions ?? []);
    return {
      accountId: user.account_id,
      type,
      userId: user.id,
      name: user.name,
      permissions,
      scope: await resolveScope(this.db, user.account_id, user.id, permissions),
      locale: user.locale,
    };
  }

  async session(principal: Principal): Promise<Session> {
    if (!principal.userId) throw new UnauthenticatedError();
    const [user, account] = await Promise.all([
      repo.findUser(this.db, principal.accountId, principal.userId),
      findAccount(this.db, principal.accountId),
    ]);
    if (!user || !account) throw new UnauthenticatedError();
    const role = await repo.findRole(this.db, principal.accountId, user.role_id);
    return {
      user: userRowToUser(user, role?.name ?? ''),
      permissions: [...(role?.permissions ?? [])],
      account: { id: account.id, name: account.name },
    };
  }

  async setLocale(principal: Principal, locale: Locale): Promise<void> {
    if (!principal.userId) throw new UnauthenticatedError();
    await repo.updateUserLocale(this.db, principal.accountId, principal.userId, locale, nowIso());
    // The cached principal carries the language the agent's downloads are written in: the
    // report downloaded right after switching is in the new one.
    this.forgetUser(principal.accountId, principal.userId);
  }

  async createToken(
    accountId: string,
    userId: string,
    name: string,
  ): Promise<{ token: string; id: string }> {
    const secret = newSecret();
    const id = newId();
    await repo.insertToken(this.db, accountId, {
      id,
      userId,
      name,
      tokenHash: hashSecret(secret),
      createdAt: nowIso(),
      lastUsedAt: null,
    });
    return { token: formatToken(accountId, secret), id };
  }

  /** For the CLI: a token for the agent with this email, in whichever account it belongs to. */
  async createTokenForEmail(emailInput: string, name: string) {
    const email = loginEmail(emailInput);
    const login = await repo.findLoginByEmail(this.db, email);
    if (!login) {
      throw new AppError(404, 'user_not_found', 'Not found', `No agent has the email ${email}`);
    }
    return this.createToken(login.accountId, login.userId, name);
  }

  listTokens(principal: Principal) {
    if (!principal.userId) throw new UnauthenticatedError();
    return repo.listTokens(this.db, principal.accountId, principal.userId);
  }

  async revokeToken(principal: Principal, id: string): Promise<void> {
    if (!principal.userId) throw new UnauthenticatedError();
    this.principals.forget((_key, p) => p.tokenId === id);
    const revoked = await repo.revokeToken(
      this.db,
      principal.accountId,
      principal.userId,
      id,
      nowIso(),
    );
    if (!revoked) throw new NotFoundError('token', id);
  }
}

export function emailTaken(email: string) {
  return new ConflictError('user_email_taken', `An agent with the email ${email} already exists`, {
    errors: [fieldError('email', 'already_used', 'already used by another agent')],
  });
}
