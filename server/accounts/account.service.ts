// Accounts for a platform administrator: creating a support team's account with its first
// administrator (the CLI's `kunde account create` and POST /api/platform/v1/accounts), listing
// them, and the platform credential that guards the API.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountCreate, AccountCreated, AccountSummary } from '../../common/account.ts';
import { findUser } from '../agents/agent.repository.ts';
import type { AgentService } from '../agents/agent.service.ts';
import { generatePassword } from '../agents/password.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findAccount, hasSupportAddress, listAccounts } from './account.repository.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export class AccountService {
  private readonly platformDigest: Buffer | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly agents: AgentService,
    platformToken: string | undefined,
  ) {
    this.platformDigest = platformToken ? digest(platformToken) : undefined;
  }

  /** The platform API exists only when KUNDE_PLATFORM_TOKEN is set. */
  get platformEnabled(): boolean {
    return this.platformDigest !== undefined;
  }

  /** Refuses (401) anything but `Bearer <KUNDE_PLATFORM_TOKEN>`, compared in constant time. */
  checkPlatformCredential(authorization: string | undefined): void {
    const sent = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    // Digests of equal length, so neither the comparison nor its length leaks the token.
    if (!this.platformDigest || !sent || !timingSafeEqual(digest(sent), this.platformDigest)) {
      throw new AppError(
        401,
        'invalid_platform_token',
        'Invalid platform token',
        'Send KUNDE_PLATFORM_TOKEN as a Bearer token',
      );
    }
  }

  /**
   * A new account with its built-in roles and its first administrator. Any number of accounts
   * can live side by side; the admin's email must not be an agent's login anywhere (409).
   */
  async create(input: AccountCreate): Promise<AccountCreated> {
    const before = await listAccounts(this.db);
    const password = input.adminPassword ?? generatePassword();
    const name = input.adminName ?? input.adminEmail.split('@')[0] ?? input.adminEmail;
    const { accountId, userId } = await this.agents.createAccount({
      accountName: input.name,
      name,
      email: input.adminEmail,
      password,
    });
    const [account, admin] = await Promise.all([
      findAccount(this.db, accountId),
      findUser(this.db, accountId, userId),
    ]);
    if (!account || !admin) throw new Error(`account ${accountId} vanished after it was created`);
    return {
      account: { id: account.id, name: account.name, createdAt: account.createdAt },
      admin: { id: admin.id, email: admin.email, name: admin.name },
      ...(input.adminPassword ? {} : { generatedPassword: password }),
      warnings: await this.mailWarnings(before),
    };
  }

  /**
   * With one account the SMTP intake gives it mail for any address; from the second account on,
   * only support addresses route mail. Said when creating the second account leaves the first
   * without mail, so the administrator is not surprised by bounces.
   */
  private async mailWarnings(before: AccountSummary[]): Promise<string[]> {
    const [only] = before;
    if (before.length !== 1 || !only || (await hasSupportAddress(this.db, only.id))) return [];
    return [
      `Mail to any address no longer goes to "${only.name}": with several accounts only support addresses receive mail; set supportAddresses in its settings`,
    ];
  }

  list(): Promise<AccountSummary[]> {
    return listAccounts(this.db);
  }
}
