// An agent's own password (issue 16 point 4): changing it from the profile page, which needs the
// current password, and "Forgot password", which emails a set-password link.
//
// Both sit behind the login's throttles. A password change checks a password, so it counts as a
// login attempt of the agent's email and the client's IP (AgentService.reserveLoginAttempt): a
// stolen session cannot guess the password faster than the login page can. "Forgot password"
// checks none but sends mail, so it has limiters of its own in the same shape: per address, past
// which requests are dropped silently (the answer stays the same, so the limit says nothing about
// whether the address is an agent's), and per client IP, past which it answers 429 like login.
//
// The answer to "Forgot password" is 202 with an empty body for any address: unknown,
// deactivated or real. A known agent's link is written and its mail queued in one transaction
// (PasswordLinks.issue), so an accepted request always leaves its mail in the outbox.
import type { Kysely } from 'kysely';
import { fieldError } from '../../common/field-error-codes.ts';
import type { PasswordChange, PasswordResetRequest } from '../../common/auth.ts';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { AppError, UnauthenticatedError, ValidationError } from '../errors.ts';
import { normalizeEmail } from '../customers/identity.ts';
import * as admin from './agent-admin.repository.ts';
import { findLoginByEmail, findUser } from './agent.repository.ts';
import { checkPassword, type AgentService } from './agent.service.ts';
import type { PasswordLinks } from './password-link.service.ts';
import { discardPasswordTokens } from './password-token.repository.ts';
import { hashPassword, verifyPassword, type PasswordCost } from './password.ts';
import type { Principal } from './principal.ts';
import { memoryLimiters, type Limiters } from './rate-limit.ts';

const WINDOW_MS = 15 * 60_000;

export class OwnPassword {
  private readonly requestsByEmail;
  private readonly requestsByIp;
  /** The throttle's clock; tests move it past the window. */
  clock: () => number = Date.now;

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      agents: AgentService;
      links: PasswordLinks;
      limiters?: Limiters;
      passwordCost?: PasswordCost;
    },
  ) {
    const limiters = deps.limiters ?? memoryLimiters;
    this.requestsByEmail = limiters('agent-forgot-email', { limit: 3, windowMs: WINDOW_MS });
    this.requestsByIp = limiters('agent-forgot-ip', { limit: 50, windowMs: WINDOW_MS });
  }

  /**
   * A new password for the signed-in agent. A wrong current password is a 422 on
   * `currentPassword` and a failed login; the agent's other sessions end, this one stays, and
   * so do their API tokens (revoking those is the profile's own button).
   */
  async change(principal: Principal, input: PasswordChange, ip: string): Promise<void> {
    if (!principal.userId) throw new UnauthenticatedError();
    const { db } = this.deps;
    const user = await findUser(db, principal.accountId, principal.userId);
    if (!user?.password_hash || user.status !== 'active') throw new UnauthenticatedError();
    checkPassword(input.password);
    const attempt = await this.deps.agents.reserveLoginAttempt(user.email, ip);
    if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
      throw new ValidationError([
        fieldError('currentPassword', 'wrong_password', 'not your current password'),
      ]);
    }
    await attempt.refund();
    const hash = await hashPassword(input.password, this.deps.passwordCost);
    await db.transaction().execute(async (trx) => {
      await admin.updateUser(trx, user.account_id, user.id, { password_hash: hash }, nowIso());
      await admin.deleteOtherUserSessions(trx, user.account_id, user.id, principal.sessionHash);
      // A set-password link mailed before the change must not undo it.
      await discardPasswordTokens(trx, user.account_id, user.id);
    });
    this.deps.agents.forgetUser(user.account_id, user.id);
  }

  /** "Forgot password": a link to an active agent's address; nothing, and the same answer, else. */
  async requestReset(input: PasswordResetRequest, ip: string): Promise<void> {
    const now = this.clock();
    const byIp = await this.requestsByIp.reserve(ip, now);
    if (!byIp.ok) {
      throw new AppError(
        429,
        'rate_limited',
        'Too many requests',
        'Too many password requests; try again later',
        { retryAfterSeconds: Math.max(1, Math.ceil(byIp.retryAfterMs / 1000)) },
      );
    }
    const normalized = normalizeEmail(input.email);
    if (!normalized.ok) return;
    const email = normalized.value;
    if (!(await this.requestsByEmail.reserve(email, now)).ok) return;
    const { db, links } = this.deps;
    const login = await findLoginByEmail(db, email);
    if (!login) return;
    await db.transaction().execute(async (trx) => {
      const user = await findUser(trx, login.accountId, login.userId);
      if (!user || user.status !== 'active') return;
      // An invited agent who lost the invitation gets a new one (they have no password yet).
      if (!user.password_hash) return links.issue(trx, user, 'invite');
      return links.issue(trx, user, 'reset', { requestedBySelf: true });
    });
  }
}
