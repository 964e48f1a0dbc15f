// The account's Customer Hub as an administrator sets it (/api/v1/settings/hub): on or off, its
// address (a slug unique across the installation, in hub_addresses), how customers sign in,
// self-registration and its domains, and the support contact shown to a customer whose access
// is off. Stored under the `hub` key of the account's settings; the rest of them is never
// touched here, and PATCH /settings never touches this (SettingsService.saveHub).
import type { Kysely } from 'kysely';
import { fieldError, refusedField } from '../../common/field-error-codes.ts';
import { hubSlugSchema, type HubSettings, type HubSettingsUpdate } from '../../common/hub.ts';
import type { FieldError } from '../../common/problem.ts';
import type { HubStoredSettings } from '../../common/settings.ts';
import type { SettingsService } from '../accounts/settings.service.ts';
import { findAccount } from '../accounts/account.repository.ts';
import { normalizeEmail, normalizePhone } from '../customers/identity.ts';
import type { Database } from '../db/database.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import { normalizeDomain } from '../organizations/domains.ts';
import * as repo from './hub-settings.repository.ts';

function slugTaken(slug: string): ConflictError {
  return new ConflictError('slug_taken', `The Hub address ${slug} belongs to another account`, {
    errors: [fieldError('slug', 'already_used', 'another account already has this address')],
  });
}

/** A slug from the account's name: "Ærlig Støtte AS" → "aerlig-stotte-as"; "hub" if nothing is left. */
export function slugFromName(name: string): string {
  const folded = name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 34)
    .replace(/-+$/, '');
  return hubSlugSchema.safeParse(folded).success ? folded : 'hub';
}

export class HubSettingsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: SettingsService,
  ) {}

  async get(accountId: string): Promise<HubSettings> {
    const [stored, slug] = await Promise.all([
      this.settings.get(accountId),
      repo.findHubSlug(this.db, accountId),
    ]);
    return { ...stored.hub, slug };
  }

  async update(accountId: string, patch: HubSettingsUpdate): Promise<HubSettings> {
    const account = await findAccount(this.db, accountId);
    if (!account) throw new NotFoundError('account', accountId);
    const normalized = this.normalize(patch, account.settings.phoneDefaultCountry);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const hub = await this.settings.saveHub(trx, accountId, (current) => ({
          ...current,
          ...normalized,
        }));
        let slug = await repo.findHubSlug(trx, accountId);
        if (patch.slug !== undefined && patch.slug !== slug) {
          if ((await repo.takenHubSlugs(trx, accountId, [patch.slug])).size)
            throw slugTaken(patch.slug);
          slug = patch.slug;
          await repo.setHubSlug(trx, accountId, slug);
        } else if (hub.enabled && slug === null) {
          slug = await this.freeSlug(trx, accountId, slugFromName(account.name));
          await repo.setHubSlug(trx, accountId, slug);
        }
        return { ...hub, slug };
      });
    } catch (error) {
      // Two accounts taking one address at the same moment: the primary key decides.
      if (isUniqueViolation(error)) throw slugTaken(patch.slug ?? '');
      throw error;
    }
  }

  /** The base itself, else base-2, base-3 …: the first no other account holds. */
  private async freeSlug(db: Kysely<Database>, accountId: string, base: string): Promise<string> {
    for (let round = 0; ; round++) {
      const candidates = Array.from({ length: 20 }, (_, i) => {
        const n = round * 20 + i;
        return n === 0 ? base : `${base.slice(0, 34)}-${n + 1}`;
      });
      const taken = await repo.takenHubSlugs(db, accountId, candidates);
      const free = candidates.find((c) => !taken.has(c));
      if (free) return free;
    }
  }

  /** Domains as ignoredDomains are; the contact's email and phone as customers' are. */
  private normalize(patch: HubSettingsUpdate, phoneCountry: string): Partial<HubStoredSettings> {
    const errors: FieldError[] = [];
    const { slug: _slug, ...rest } = patch;
    const out: Partial<HubStoredSettings> = { ...rest };
    if (patch.registrationDomains) {
      const domains = patch.registrationDomains.map((raw, index) => {
        const domain = normalizeDomain(raw);
        if (!domain.ok) errors.push(refusedField(`registrationDomains.${index}`, domain));
        return domain.ok ? domain.value : raw;
      });
      out.registrationDomains = [...new Set(domains)];
    }
    if (patch.supportContact) {
      const { email, phone, message } = patch.supportContact;
      let contactEmail: string | null = null;
      let contactPhone: string | null = null;
      if (email) {
        const result = normalizeEmail(email);
        if (result.ok) contactEmail = result.value;
        else errors.push(refusedField('supportContact.email', result));
      }
      if (phone) {
        const result = normalizePhone(phone, phoneCountry);
        if (result.ok) contactPhone = result.value;
        else errors.push(refusedField('supportContact.phone', result));
      }
      out.supportContact = { message, email: contactEmail, phone: contactPhone };
    }
    if (errors.length) throw new ValidationError(errors);
    return out;
  }
}
