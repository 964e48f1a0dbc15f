// Account settings: read with defaults filled in, changed with validation.
import type { Kysely } from 'kysely';
import { isSupportedCountry } from 'libphonenumber-js';
import type { AccountSettings, AccountSettingsUpdate } from '../../common/settings.ts';
import type { Database } from '../db/database.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { findAccount, updateAccountSettings } from './account.repository.ts';

export class SettingsService {
  constructor(private readonly db: Kysely<Database>) {}

  async get(accountId: string): Promise<AccountSettings> {
    const account = await findAccount(this.db, accountId);
    if (!account) throw new NotFoundError('account', accountId);
    return account.settings;
  }

  async update(accountId: string, patch: AccountSettingsUpdate): Promise<AccountSettings> {
    if (patch.phoneDefaultCountry && !isSupportedCountry(patch.phoneDefaultCountry)) {
      throw new ValidationError([
        {
          field: 'phoneDefaultCountry',
          message: `${patch.phoneDefaultCountry} is not a country with phone numbers`,
        },
      ]);
    }
    return this.db.transaction().execute(async (trx) => {
      const account = await findAccount(trx, accountId);
      if (!account) throw new NotFoundError('account', accountId);
      const settings = { ...account.settings, ...patch };
      await updateAccountSettings(trx, accountId, settings);
      return settings;
    });
  }
}
