// Set-password links: an invited agent's first password and a reset an administrator asked for.
// A link's token is 256 random bits with the account id in front (so its lookup is scoped by
// account), kept only as its SHA-256, single-use, and expiring: 7 days for an invitation, 24
// hours for a reset. A newer link replaces the agent's older unused ones. The email is an outbox
// row written in the caller's transaction, so a refused change sends nothing.
//
// A reset does not clear the old password: the agent keeps working (and an agent whose mail is
// held in the outbox is not locked out) until they set a new one. Setting it ends every session
// of theirs; their API tokens stay (deactivation is the tool for a compromised agent).
import type { Kysely, Transaction } from 'kysely';
import type { PasswordTokenInfo, PasswordTokenPurpose } from '../../common/agents.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { Database, UserRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { AppError } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import * as admin from './agent-admin.repository.ts';
import { checkPassword } from './agent.service.ts';
import { findUser } from './agent.repository.ts';
import { passwordEmail } from './agent-texts.ts';
import { hashPassword, type PasswordCost } from './password.ts';
import * as repo from './password-token.repository.ts';
import { formatSessionCookie, hashSecret, newSecret, parseSessionCookie } from './secrets.ts';

const HOUR_MS = 60 * 60 * 1000;
export const PASSWORD_LINK_TTL_MS: Record<PasswordTokenPurpose, number> = {
  invite: 7 * 24 * HOUR_MS,
  reset: 24 * HOUR_MS,
};
/**
 * A link the agent asked for themselves ("Forgot password"): anyone who knows the address can
 * ask, so it lives one hour, not the day an administrator's reset gets.
 */
export const FORGOT_PASSWORD_LINK_TTL_MS = HOUR_MS;

export interface PasswordLinkDeps {
  db: Kysely<Database>;
  /** Where agents reach the console (KUNDE_PUBLIC_URL). */
  publicUrl: string;
  smtpConfigured: boolean;
  fromAddress: (accountId: string, trx: Transaction<Database>) => Promise<string>;
  /** The agent's sessions ended: forget them on this node at once. */
  forgetUser: (accountId: string, userId: string) => void;
  /** Tests only (ServiceOptions.passwordCost): the scrypt cost of new hashes; PASSWORD_COST otherwise. */
  passwordCost?: PasswordCost;
}

export function linkNotValid() {
  return new AppError(
    404,
    'password_link_not_found',
    'Link not valid',
    'This link is not valid; ask an administrator for a new one',
  );
}

export class PasswordLinks {
  /** The links' clock; tests move it past an expiry. */
  clock: () => number = Date.now;

  constructor(private readonly deps: PasswordLinkDeps) {}

  /**
   * Writes a new link for the agent and queues its email, in the caller's transaction.
   * `requestedBySelf`: the agent asked on the "Forgot password" page (its own mail, one hour).
   */
  async issue(
    trx: Transaction<Database>,
    user: UserRow,
    purpose: PasswordTokenPurpose,
    options: { requestedBySelf?: boolean } = {},
  ) {
    const secret = newSecret();
    const now = this.clock();
    const self = options.requestedBySelf === true && purpose === 'reset';
    const ttl = self ? FORGOT_PASSWORD_LINK_TTL_MS : PASSWORD_LINK_TTL_MS[purpose];
    const expiresAt = new Date(now + ttl).toISOString();
    await repo.discardPasswordTokens(trx, user.account_id, user.id);
    await repo.insertPasswordToken(trx, {
      account_id: user.account_id,
      id: newId(),
      user_id: user.id,
      token_hash: hashSecret(secret),
      purpose,
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    const account = await findAccount(trx, user.account_id);
    const token = formatSessionCookie(user.account_id, secret);
    const link = `${this.deps.publicUrl.replace(/\/$/, '')}/set-password#${token}`;
    const mail = passwordEmail(user.locale, self ? 'forgot' : purpose, {
      name: user.name,
      accountName: account?.name ?? 'Kunde',
      link,
      expiresAt: expiresAt.slice(0, 16).replace('T', ' '),
    });
    const from = await this.deps.fromAddress(user.account_id, trx);
    await queueEmail(
      trx,
      user.account_id,
      {
        to: user.email,
        from,
        subject: mail.subject,
        text: mail.text,
        messageId: `<password-${newId()}@${from.split('@')[1] ?? 'kunde'}>`,
      },
      this.deps.smtpConfigured,
    );
  }

  /** What the set-password page shows; refuses a link that is unknown, used or expired. */
  async check(token: string): Promise<PasswordTokenInfo> {
    const { row, user } = await this.find(this.deps.db, token);
    const account = await findAccount(this.deps.db, row.account_id);
    return {
      email: user.email,
      name: user.name,
      accountName: account?.name ?? '',
      purpose: row.purpose === 'reset' ? 'reset' : 'invite',
      expiresAt: row.expires_at,
    };
  }

  /** Sets the password from a link: once, before it expires; ends the agent's sessions. */
  async setPassword(token: string, password: string): Promise<{ email: string }> {
    checkPassword(password);
    const hash = await hashPassword(password, this.deps.passwordCost);
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const { row, user } = await this.find(trx, token);
      const at = new Date(this.clock()).toISOString();
      // Two requests with one link: the update that marks it used decides which one counts.
      if (!(await repo.usePasswordToken(trx, row.account_id, row.id, at))) throw linkUsed();
      await admin.updateUser(trx, row.account_id, user.id, { password_hash: hash }, nowIso());
      await admin.deleteUserSessions(trx, row.account_id, user.id);
      await repo.discardPasswordTokens(trx, row.account_id, user.id);
      return { accountId: row.account_id, userId: user.id, email: user.email };
    });
    this.deps.forgetUser(result.accountId, result.userId);
    return { email: result.email };
  }

  private async find(db: Kysely<Database> | Transaction<Database>, token: string) {
    const parsed = parseSessionCookie(token);
    if (!parsed) throw linkNotValid();
    const row = await repo.findPasswordToken(db, parsed.accountId, hashSecret(parsed.secret));
    if (!row) throw linkNotValid();
    if (row.used_at) throw linkUsed();
    if (Date.parse(row.expires_at) <= this.clock()) throw linkExpired();
    const user = await findUser(db, row.account_id, row.user_id);
    if (!user || user.status !== 'active') throw linkNotValid();
    return { row, user };
  }
}

export function linkUsed() {
  return new AppError(
    410,
    'password_link_used',
    'Link already used',
    'This link has already been used; log in, or ask an administrator for a new one',
  );
}

export function linkExpired() {
  return new AppError(
    410,
    'password_link_expired',
    'Link expired',
    'This link has expired; ask an administrator for a new one',
  );
}
