// The Customer Hub's one-time links, mailed through the outbox: a sign-in link, a set-password
// link (a reset the customer asks for, or an agent's invitation) and a registration's
// confirmation. A link is `<account id>.<256 random bits>`, kept only as its SHA-256, good once:
// 15 minutes (HUB_LINK_TTL_MS), an invitation 72 hours (the customer may not read mail within
// 15 minutes of an agent's click; it is still single-use and replaced by a newer one).
//
// Asking for a link answers the same 202 whoever asks: nothing tells whether the address is a
// customer's. Each account+address may ask 5 times an hour (sign-in, reset and registration
// together); past that the answer is still 202 and nothing is sent. A registration creates
// nothing until its link is redeemed; then the customer is found or created through the one
// customer write model (an existing customer with that email claims Hub access, never a copy).
import { lockUnlessMerged } from '../customers/customer-guard.ts';
import type { Kysely, Transaction } from 'kysely';
import { HUB_LINK_TTL_MS, type HubRegistration } from '../../common/hub.ts';
import { fieldError } from '../../common/field-error-codes.ts';
import type { Locale } from '../../common/settings.ts';
import { customerDisplayName } from '../../common/customer.ts';
import { systemPrincipal, type Principal } from '../agents/principal.ts';
import { hashPassword, type PasswordCost } from '../agents/password.ts';
import { memoryLimiters, type Limiters } from '../agents/rate-limit.ts';
import {
  formatSessionCookie,
  hashSecret,
  newSecret,
  parseSessionCookie,
} from '../agents/secrets.ts';
import { requireInScope } from '../access/scope.ts';
import { findAccount } from '../accounts/account.repository.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database, HubTokenPurpose } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { AppError, NotFoundError, ValidationError } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import { candidateDomains } from '../organizations/domains.ts';
import { endCustomerHubSessions } from './hub-principal.ts';
import { hubEmailKey, type HubAuthService, type SignedIn } from './hub-auth.service.ts';
import * as logins from './hub-login.repository.ts';
import * as repo from './hub-token.repository.ts';
import { hubEmail, type HubMailKind } from './hub-texts.ts';
import { hubSlugOf, requireHubAccount, type HubAccount } from './hub-site.ts';

const HOUR_MS = 60 * 60 * 1000;
export const HUB_INVITATION_TTL_MS = 72 * HOUR_MS;

export interface HubLinkDeps {
  db: Kysely<Database>;
  auth: HubAuthService;
  customers: CustomerService;
  /** Where customers reach Kunde (KUNDE_PUBLIC_URL), never a request's Host header. */
  publicUrl: string;
  smtpConfigured: boolean;
  fromAddress: (accountId: string, trx: Transaction<Database>) => Promise<string>;
  /** Tests only (ServiceOptions.passwordCost): the scrypt cost of new hashes; PASSWORD_COST otherwise. */
  passwordCost?: PasswordCost;
  /** Where the link-request throttle counts (services.ts: the database on PostgreSQL). */
  limiters?: Limiters;
}

export function invalidLink(): AppError {
  return new AppError(
    400,
    'invalid_link',
    'Link not valid',
    'This link is not valid or has expired; ask for a new one',
  );
}

interface Mail {
  accountId: string;
  slug: string;
  accountName: string;
  locale: Locale;
  kind: HubMailKind;
  purpose: HubTokenPurpose;
  to: string;
  name: string;
  customerId: string | null;
}

export class HubLinks {
  private readonly requests;
  /** The links' clock; tests move it past an expiry. */
  clock: () => number = Date.now;

  constructor(private readonly deps: HubLinkDeps) {
    this.requests = (deps.limiters ?? memoryLimiters)('hub-link-requests', {
      limit: 5,
      windowMs: HOUR_MS,
    });
  }

  /** A sign-in link or a set-password link to an active customer's address; 202 either way. */
  async requestLink(
    slug: string,
    purpose: 'sign_in' | 'password',
    input: { email: string; locale?: Locale },
  ) {
    const hub = await requireHubAccount(this.deps.db, slug);
    const { email, valid } = hubEmailKey(input.email);
    if (!valid || !(await this.allowed(hub.accountId, email))) return;
    if (purpose === 'sign_in' && !hub.settings.hub.linkSignIn) return;
    const customer = await logins.findHubCustomerByEmail(this.deps.db, hub.accountId, email);
    if (!customer || customer.status !== 'active' || !customer.email) return;
    await this.deps.db.transaction().execute((trx) =>
      this.send(trx, {
        ...this.where(hub),
        locale: localeOf(customer.locale, input.locale, hub),
        kind: purpose,
        purpose,
        to: customer.email!,
        name: customerDisplayName({ ...customer, phone: null }),
        customerId: customer.customerId,
      }),
    );
  }

  /** Self-registration: refused when closed or the domain is not listed; else a confirmation link. */
  async register(slug: string, input: HubRegistration) {
    const hub = await requireHubAccount(this.deps.db, slug);
    const { selfRegistration, registrationDomains } = hub.settings.hub;
    if (!selfRegistration)
      throw new AppError(
        403,
        'registration_closed',
        'Registration closed',
        'This Customer Hub does not take registrations',
      );
    const { email, valid } = hubEmailKey(input.email);
    if (!valid)
      throw new ValidationError([fieldError('email', 'not_an_email', 'not an email address')]);
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const listed = new Set(registrationDomains.map((d) => d.trim().toLowerCase()));
    if (listed.size && !candidateDomains(domain).some((d) => listed.has(d)))
      throw new ValidationError([
        fieldError(
          'email',
          'domain_not_allowed',
          'this Customer Hub takes registrations only from the domains it lists',
        ),
      ]);
    if (!(await this.allowed(hub.accountId, email))) return;
    const existing = await logins.findHubCustomerByEmail(this.deps.db, hub.accountId, email);
    await this.deps.db.transaction().execute((trx) =>
      this.send(trx, {
        ...this.where(hub),
        locale: localeOf(existing?.locale ?? null, input.locale, hub),
        kind: 'register',
        purpose: 'register',
        to: email,
        name: input.name,
        customerId: existing?.customerId ?? null,
      }),
    );
  }

  /** An agent's invitation: a set-password link to the customer's email (72 hours). */
  async invite(principal: Principal, customerId: string) {
    const db = this.deps.db;
    await requireInScope(db, principal.scope, principal.accountId, 'customer', customerId);
    const customer = await logins.findHubCustomer(db, principal.accountId, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    const account = await findAccount(db, principal.accountId);
    const slug = await hubSlugOf(db, principal.accountId);
    if (!account?.settings.hub.enabled || !slug)
      throw new AppError(
        422,
        'hub_off',
        'Customer Hub is off',
        'Turn the Customer Hub on for the account before inviting customers',
      );
    if (!customer.email)
      throw new AppError(
        422,
        'customer_without_email',
        'No email address',
        'The customer has no email address to send the invitation to',
      );
    const hub = {
      accountId: account.id,
      accountName: account.name,
      slug,
      settings: account.settings,
    };
    await db.transaction().execute(async (trx) => {
      // Never to a merged-away customer (issue 15): 409 naming the survivor, under its lock.
      await lockUnlessMerged(trx, principal.accountId, customerId);
      await this.send(trx, {
        ...this.where(hub),
        locale: localeOf(customer.locale, undefined, hub),
        kind: 'invitation',
        purpose: 'password',
        to: customer.email!,
        name: customerDisplayName({ ...customer, phone: null }),
        customerId,
      });
    });
  }

  /**
   * Redeems a link: once, before it expires (one 400 invalid_link for unknown, used and expired).
   * A set-password link needs the password, checked before the link is spent.
   */
  async redeem(token: string, password: string | undefined): Promise<SignedIn> {
    const parsed = parseSessionCookie(token);
    if (!parsed) throw invalidLink();
    const tokenHash = hashSecret(parsed.secret);
    const peek = await repo.findHubToken(this.deps.db, parsed.accountId, tokenHash);
    if (!peek || peek.used_at || Date.parse(peek.expires_at) <= this.clock()) throw invalidLink();
    if (peek.purpose === 'password' && password === undefined)
      throw new ValidationError([fieldError('password', 'required', 'choose a password')]);
    const slug = await hubSlugOf(this.deps.db, parsed.accountId);
    const hub = slug
      ? await requireHubAccount(this.deps.db, slug).catch(() => undefined)
      : undefined;
    // A sign-in link sent before link sign-in was switched off no longer signs in.
    if (!hub || (peek.purpose === 'sign_in' && !hub.settings.hub.linkSignIn)) throw invalidLink();
    const hash =
      password === undefined ? undefined : await hashPassword(password, this.deps.passwordCost);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.useHubToken(
        trx,
        parsed.accountId,
        tokenHash,
        new Date(this.clock()).toISOString(),
      );
      if (!row) throw invalidLink();
      const customerId =
        row.purpose === 'register' ? await this.registered(trx, hub, row) : row.customer_id;
      const customer = customerId
        ? await logins.findHubCustomer(trx, hub.accountId, customerId)
        : undefined;
      if (!customer) throw invalidLink();
      const now = nowIso();
      if (hash !== undefined) {
        await logins.saveHubLogin(
          trx,
          hub.accountId,
          customer.customerId,
          { passwordHash: hash },
          now,
        );
        await endCustomerHubSessions(trx, hub.accountId, customer.customerId);
        await repo.discardHubTokens(trx, hub.accountId, customer.customerId, 'password');
        customer.passwordHash = hash;
      }
      return this.deps.auth.signedIn(hub, customer, trx);
    });
  }

  /** The customer a confirmed registration is: the one with that email, or a new one ('hub'). */
  private async registered(
    trx: Transaction<Database>,
    hub: HubAccount,
    row: { email: string; name: string | null },
  ) {
    const principal = systemPrincipal(hub.accountId, 'Customer Hub');
    const { customer } = await this.deps.customers.findOrCreateBySender(
      principal,
      { email: row.email, name: row.name },
      'hub',
      trx,
    );
    return customer.id;
  }

  private async allowed(accountId: string, email: string): Promise<boolean> {
    return (await this.requests.reserve(`${accountId} ${email}`, this.clock())).ok;
  }

  private where(hub: HubAccount) {
    return { accountId: hub.accountId, slug: hub.slug, accountName: hub.accountName };
  }

  private async send(trx: Transaction<Database>, mail: Mail) {
    const secret = newSecret();
    const now = this.clock();
    const ttl = mail.kind === 'invitation' ? HUB_INVITATION_TTL_MS : HUB_LINK_TTL_MS;
    const expiresAt = new Date(now + ttl).toISOString();
    if (mail.customerId)
      await repo.discardHubTokens(trx, mail.accountId, mail.customerId, mail.purpose);
    await repo.insertHubToken(trx, {
      account_id: mail.accountId,
      token_hash: hashSecret(secret),
      purpose: mail.purpose,
      customer_id: mail.customerId,
      email: mail.to,
      name: mail.purpose === 'register' ? mail.name : null,
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    const token = formatSessionCookie(mail.accountId, secret);
    const page = mail.purpose === 'password' ? 'password' : 'link';
    const link = `${this.deps.publicUrl.replace(/\/$/, '')}/hub/${mail.slug}/${page}?token=${token}`;
    const text = hubEmail(mail.locale, mail.kind, {
      name: mail.name,
      accountName: mail.accountName,
      link,
      expiresAt: expiresAt.slice(0, 16).replace('T', ' '),
    });
    const from = await this.deps.fromAddress(mail.accountId, trx);
    await queueEmail(
      trx,
      mail.accountId,
      {
        to: mail.to,
        from,
        subject: text.subject,
        text: text.text,
        messageId: `<hub-${newId()}@${from.split('@')[1] ?? 'kunde'}>`,
      },
      this.deps.smtpConfigured,
    );
  }
}

function localeOf(stored: string | null, asked: Locale | undefined, hub: HubAccount): Locale {
  if (stored === 'en' || stored === 'nb') return stored;
  return asked ?? hub.settings.defaultLocale;
}
