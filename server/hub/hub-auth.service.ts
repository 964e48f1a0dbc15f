// Signing in to the Customer Hub with a password, and what a signed-in customer does with their
// own sign-in: who they are (HubMe), their name and language, their password, signing out.
//
// A wrong password, an unknown email, a customer without a password, a deactivated customer
// and password sign-in switched off all get one 401 after one scrypt verification (against a
// fixed decoy hash when there is no real one), so neither the answer nor its time tells which.
// Only a correct password learns that access is off (then: the support contact, no session).
// Failures are throttled per account+email (100 an hour) and per IP (300 per 15 minutes), in
// memory or (PostgreSQL, several nodes) in the database, counted before the hash (rate-limit.ts
// reserve/refund): the lock is temporary, so
// nobody can lock a customer out for longer than the window.
import type { Kysely } from 'kysely';
import {
  hubSignInResultSchema,
  type HubMe,
  type HubProfileUpdate,
  type HubSignInResult,
} from '../../common/hub.ts';
import { fieldError } from '../../common/field-error-codes.ts';
import type { Locale } from '../../common/settings.ts';
import { customerDisplayName } from '../../common/customer.ts';
import { systemPrincipal, type Principal } from '../agents/principal.ts';
import {
  hashPassword,
  PASSWORD_COST,
  verifyDecoyPassword,
  verifyPassword,
  type PasswordCost,
} from '../agents/password.ts';
import { memoryLimiters, type Limiters } from '../agents/rate-limit.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import { normalizeEmail } from '../customers/identity.ts';
import type { Database } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { AppError, UnauthenticatedError, ValidationError } from '../errors.ts';
import { endHubSession, startHubSession, type HubPrincipal } from './hub-principal.ts';
import * as repo from './hub-login.repository.ts';
import type { HubCustomer } from './hub-login.repository.ts';
import { hubSlugOf, requireHubAccount, type HubAccount } from './hub-site.ts';

const HOUR_MS = 60 * 60 * 1000;

export function invalidCredentials(): AppError {
  return new AppError(
    401,
    'invalid_credentials',
    'Wrong email or password',
    'Wrong email or password',
  );
}

function throttled(waitMs: number): AppError {
  return new AppError(
    429,
    'rate_limited',
    'Too many failed sign-ins',
    'Too many failed sign-ins; try again later',
    {
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    },
  );
}

/** The Hub's normalized form of an email as typed; a malformed one is kept as typed (it matches nobody). */
export function hubEmailKey(input: string): { email: string; valid: boolean } {
  const normalized = normalizeEmail(input);
  return normalized.ok
    ? { email: normalized.value, valid: true }
    : { email: input.trim().toLowerCase(), valid: false };
}

/** What a correct credential leads to: a session (its cookie) or the access-off answer. */
export interface SignedIn {
  result: HubSignInResult;
  cookie?: string;
}

export class HubAuthService {
  private readonly failuresByEmail;
  private readonly failuresByIp;

  /** The throttle's clock; tests move it past the window. */
  clock: () => number = Date.now;
  /** The password check (tests count its calls); the same scrypt verification as agents'. */
  verify: (password: string, hash: string | null) => Promise<boolean> = (password, hash) =>
    hash ? verifyPassword(password, hash) : verifyDecoyPassword(password, this.passwordCost);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
    limiters: Limiters = memoryLimiters,
    /** Tests only (ServiceOptions.passwordCost): the cost of new hashes and of the decoy. */
    private readonly passwordCost: PasswordCost = PASSWORD_COST,
  ) {
    this.failuresByEmail = limiters('hub-sign-in-email', { limit: 100, windowMs: HOUR_MS });
    this.failuresByIp = limiters('hub-sign-in-ip', { limit: 300, windowMs: 15 * 60_000 });
  }

  async signIn(
    slug: string,
    input: { email: string; password: string },
    ip: string,
  ): Promise<SignedIn> {
    const hub = await requireHubAccount(this.db, slug);
    const { email, valid } = hubEmailKey(input.email);
    const now = this.clock();
    const byEmail = await this.failuresByEmail.reserve(`${hub.accountId} ${email}`, now);
    const byIp = byEmail.ok ? await this.failuresByIp.reserve(ip, now) : undefined;
    if (!byEmail.ok || !byIp?.ok) {
      if (byEmail.ok) await byEmail.reservation.refund();
      throw throttled(
        !byEmail.ok ? byEmail.retryAfterMs : byIp && !byIp.ok ? byIp.retryAfterMs : 0,
      );
    }
    const found =
      valid && hub.settings.hub.passwordSignIn
        ? await repo.findHubCustomerByEmail(this.db, hub.accountId, email)
        : undefined;
    const customer = found?.status === 'active' && found.passwordHash ? found : undefined;
    const ok = await this.verify(input.password, customer?.passwordHash ?? null);
    if (!ok || !customer) throw invalidCredentials();
    await byEmail.reservation.refund();
    await byIp.reservation.refund();
    return this.signedIn(hub, customer);
  }

  /** After a valid credential: a new session, or access off with the support contact. */
  async signedIn(hub: HubAccount, customer: HubCustomer, db: Conn = this.db): Promise<SignedIn> {
    if (!customer.hubAccess || customer.status !== 'active') {
      const result = hubSignInResultSchema.parse({
        status: 'access_off',
        accountName: hub.accountName,
        supportContact: hub.settings.hub.supportContact,
      });
      return { result };
    }
    const now = nowIso();
    const cookie = await startHubSession(db, hub.accountId, customer.customerId);
    await repo.saveHubLogin(db, hub.accountId, customer.customerId, { lastSignInAt: now }, now);
    const me = await this.presentMe(db, hub, { ...customer, lastSignInAt: now });
    return { result: { status: 'signed_in', me }, cookie };
  }

  async signOut(principal: HubPrincipal): Promise<void> {
    await endHubSession(this.db, principal);
  }

  async me(principal: HubPrincipal): Promise<HubMe> {
    const { hub, customer } = await this.current(principal);
    return this.presentMe(this.db, hub, customer);
  }

  /** The customer's own name (through the customer write model: an audit entry) and language. */
  async updateProfile(principal: HubPrincipal, patch: HubProfileUpdate): Promise<HubMe> {
    await this.db.transaction().execute(async (trx) => {
      if (patch.firstName !== undefined || patch.lastName !== undefined)
        await this.customers.update(
          customerActor(principal),
          principal.customerId,
          { firstName: patch.firstName, lastName: patch.lastName },
          undefined,
          trx,
        );
      if (patch.locale !== undefined)
        await repo.saveHubLogin(
          trx,
          principal.accountId,
          principal.customerId,
          { locale: patch.locale },
          nowIso(),
        );
    });
    return this.me(principal);
  }

  /**
   * A new password; the current one is required when one is set (a wrong one counts as a
   * failed sign-in). The customer's other sessions end; this one stays.
   */
  async changePassword(
    principal: HubPrincipal,
    input: { currentPassword?: string; password: string },
  ): Promise<void> {
    const { customer } = await this.current(principal);
    if (customer.passwordHash) {
      if (input.currentPassword === undefined)
        throw new ValidationError([
          fieldError('currentPassword', 'required', 'enter your current password'),
        ]);
      const now = this.clock();
      const key = `${principal.accountId} ${customer.email ?? principal.customerId}`;
      const byEmail = await this.failuresByEmail.reserve(key, now);
      if (!byEmail.ok) throw throttled(byEmail.retryAfterMs);
      if (!(await verifyPassword(input.currentPassword, customer.passwordHash)))
        throw new ValidationError([
          fieldError('currentPassword', 'wrong_password', 'not your current password'),
        ]);
      await byEmail.reservation.refund();
    }
    const hash = await hashPassword(input.password, this.passwordCost);
    await this.db.transaction().execute(async (trx) => {
      await repo.saveHubLogin(
        trx,
        principal.accountId,
        principal.customerId,
        { passwordHash: hash },
        nowIso(),
      );
      await repo.deleteOtherHubSessions(
        trx,
        principal.accountId,
        principal.customerId,
        principal.sessionHash,
      );
    });
  }

  private async current(principal: HubPrincipal) {
    const customer = await repo.findHubCustomer(this.db, principal.accountId, principal.customerId);
    const slug = await hubSlugOf(this.db, principal.accountId);
    if (!customer || !slug) throw new UnauthenticatedError('Sign in to the Customer Hub');
    return { hub: await requireHubAccount(this.db, slug), customer };
  }

  async presentMe(db: Conn, hub: HubAccount, customer: HubCustomer): Promise<HubMe> {
    const locale: Locale =
      customer.locale === 'nb' || customer.locale === 'en'
        ? customer.locale
        : hub.settings.defaultLocale;
    return {
      customer: {
        id: customer.customerId,
        name: customerDisplayName({ ...customer, phone: null }),
        firstName: customer.firstName,
        lastName: customer.lastName,
        email: customer.email,
        locale,
        passwordSet: customer.passwordHash !== null,
      },
      account: { name: hub.accountName, slug: hub.slug },
      organizations: await repo.listGrantedOrganizations(db, hub.accountId, customer.customerId),
    };
  }
}

/** The customer as the actor of their own change (the audit trail names them). */
export function customerActor(principal: HubPrincipal): Principal {
  return systemPrincipal(
    principal.accountId,
    `${principal.name || principal.email || 'Customer'} (Customer Hub)`,
  );
}
