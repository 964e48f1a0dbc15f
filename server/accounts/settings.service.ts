// Account settings: read with defaults filled in, changed with validation.
import { fieldError, refusedField } from '../../common/field-error-codes.ts';
import type { Kysely, Transaction } from 'kysely';
import { isSupportedCountry } from 'libphonenumber-js';
import type { CustomerPanel } from '../../common/custom-field.ts';
import type { AccountSettings, AccountSettingsUpdate } from '../../common/settings.ts';
import type { FieldError } from '../../common/problem.ts';
import { listFields } from '../custom-fields/custom-field.repository.ts';
import { normalizeDomain } from '../organizations/domains.ts';
import type { Database } from '../db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { normalizeEmail } from '../customers/identity.ts';
import type { HubStoredSettings } from '../../common/settings.ts';
import { lockAccountAgents } from '../agents/agent-admin.repository.ts';
import { findAccount, updateAccountSettings } from './account.repository.ts';

export class SettingsService {
  constructor(private readonly db: Kysely<Database>) {}

  private readonly listeners: ((accountId: string, settings: AccountSettings) => Promise<void>)[] =
    [];

  /** Runs after every committed change (erasure queues the retention purge when it is turned on). */
  onUpdate(listener: (accountId: string, settings: AccountSettings) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async update(accountId: string, patch: AccountSettingsUpdate): Promise<AccountSettings> {
    const settings = await this.change(accountId, patch);
    for (const listener of this.listeners) await listener(accountId, settings);
    return settings;
  }

  async get(accountId: string): Promise<AccountSettings> {
    const account = await findAccount(this.db, accountId);
    if (!account) throw new NotFoundError('account', accountId);
    return account.settings;
  }

  private async change(accountId: string, patch: AccountSettingsUpdate): Promise<AccountSettings> {
    if (patch.phoneDefaultCountry && !isSupportedCountry(patch.phoneDefaultCountry)) {
      throw new ValidationError([
        fieldError(
          'phoneDefaultCountry',
          'not_a_country_code',
          `${patch.phoneDefaultCountry} is not a country with phone numbers`,
        ),
      ]);
    }
    if (patch.ignoredDomains) {
      const errors: FieldError[] = [];
      patch.ignoredDomains = patch.ignoredDomains.map((raw, index) => {
        const domain = normalizeDomain(raw);
        if (!domain.ok) errors.push(refusedField(`ignoredDomains.${index}`, domain));
        return domain.ok ? domain.value : raw;
      });
      if (errors.length) throw new ValidationError(errors);
      patch.ignoredDomains = [...new Set(patch.ignoredDomains)];
    }
    if (patch.supportAddresses) {
      const errors: FieldError[] = [];
      patch.supportAddresses = [
        ...new Set(
          patch.supportAddresses.map((raw, index) => {
            const email = normalizeEmail(raw);
            if (!email.ok) errors.push(refusedField(`supportAddresses.${index}`, email));
            return email.ok ? email.value : raw;
          }),
        ),
      ];
      if (errors.length) throw new ValidationError(errors);
      const addresses = patch.supportAddresses;
      return this.db.transaction().execute(async (trx) => {
        const taken = await trx
          .selectFrom('inbound_addresses')
          .select('address')
          .where('address', 'in', addresses.length ? addresses : [''])
          .where('account_id', '!=', accountId)
          .execute();
        if (taken.length) {
          throw new ConflictError(
            'address_taken',
            `${taken.map((t) => t.address).join(', ')} belongs to another account`,
            {
              errors: taken.map((t) =>
                fieldError(
                  `supportAddresses.${addresses.indexOf(t.address)}`,
                  'already_used',
                  'belongs to another account',
                ),
              ),
            },
          );
        }
        await trx.deleteFrom('inbound_addresses').where('account_id', '=', accountId).execute();
        if (addresses.length) {
          await trx
            .insertInto('inbound_addresses')
            .values(addresses.map((address) => ({ address, account_id: accountId })))
            .execute();
        }
        return this.saveWith(trx, accountId, patch);
      });
    }
    return this.save(accountId, patch);
  }

  async customerPanel(accountId: string): Promise<CustomerPanel> {
    return { items: (await this.get(accountId)).customerPanel };
  }

  /** The panel may show built-in properties and the account's customer fields, each once. */
  async setCustomerPanel(accountId: string, panel: CustomerPanel): Promise<CustomerPanel> {
    const fields = new Set((await listFields(this.db, accountId, 'customer')).map((f) => f.key));
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    panel.items.forEach((item, index) => {
      const id = `${item.kind}:${item.key}`;
      if (seen.has(id))
        errors.push(
          fieldError(`items.${index}`, 'listed_twice', `${item.key} is listed twice`, {
            item: item.key,
          }),
        );
      seen.add(id);
      if (item.kind === 'field' && !fields.has(item.key)) {
        errors.push(
          fieldError(
            `items.${index}.key`,
            'unknown_custom_field',
            `no customer field with the key ${item.key}`,
          ),
        );
      }
    });
    if (errors.length) throw new ValidationError(errors);
    await this.save(accountId, { customerPanel: panel.items });
    return panel;
  }

  private save(accountId: string, patch: Partial<AccountSettings>): Promise<AccountSettings> {
    return this.db.transaction().execute((trx) => this.saveWith(trx, accountId, patch));
  }

  // The settings are one JSON value: each change holds the account's row while it reads and
  // writes it, so a change of the Hub and one of the rest made at once both survive.
  private async saveWith(
    trx: Transaction<Database>,
    accountId: string,
    patch: Partial<AccountSettings>,
  ): Promise<AccountSettings> {
    await lockAccountAgents(trx, accountId);
    const account = await findAccount(trx, accountId);
    if (!account) throw new NotFoundError('account', accountId);
    // The Hub's part changes only through saveHub (/api/v1/settings/hub).
    const settings = { ...account.settings, ...patch, hub: account.settings.hub };
    await updateAccountSettings(trx, accountId, settings);
    return settings;
  }

  /** Changes only the Hub's part of the settings (server/hub/hub-settings.service.ts). */
  async saveHub(
    trx: Transaction<Database>,
    accountId: string,
    change: (current: HubStoredSettings) => HubStoredSettings,
  ): Promise<HubStoredSettings> {
    await lockAccountAgents(trx, accountId);
    const account = await findAccount(trx, accountId);
    if (!account) throw new NotFoundError('account', accountId);
    const hub = change(account.settings.hub);
    await updateAccountSettings(trx, accountId, { ...account.settings, hub });
    return hub;
  }
}
