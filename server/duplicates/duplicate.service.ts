// The rules for duplicate suggestions as agents read them: open pairs newest first, only those
// whose two customers the agent sees (a pair with one customer out of scope does not exist for
// them), a capped count for the Customers menu, and dismissing, which is for good.
import type { Kysely } from 'kysely';
import type { DuplicateReason, DuplicateSuggestion } from '../../common/merge.ts';
import type { Page } from '../../common/paging.ts';
import type { Principal } from '../agents/principal.ts';
import { findCustomers } from '../customers/customer.repository.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database, DuplicateSuggestionTable } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { NotFoundError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import * as repo from './duplicate.repository.ts';

/** The menu's badge and a list's total stop counting here ("1000+"). */
export const SUGGESTION_COUNT_CAP = 1000;

type Position = { t: string; i: string };
const isPosition = (v: Record<string, unknown>): v is Position =>
  typeof v.t === 'string' && typeof v.i === 'string';

export class DuplicateService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly customers: CustomerService,
  ) {}

  async list(
    principal: Principal,
    query: { limit: number; cursor?: string; customerId?: string },
  ): Promise<Page<DuplicateSuggestion>> {
    const position = query.cursor ? decodeCursor(query.cursor, isPosition) : undefined;
    const filter: repo.SuggestionFilter = {
      scope: principal.scope,
      customerId: query.customerId,
    };
    const [rows, counted] = await Promise.all([
      repo.listOpenSuggestions(
        this.db,
        principal.accountId,
        { ...filter, before: position && { createdAt: position.t, id: position.i } },
        query.limit + 1,
      ),
      this.count(principal, query.customerId),
    ]);
    const page = rows.slice(0, query.limit);
    const items = await this.present(principal.accountId, page);
    const last = page[page.length - 1];
    return {
      items,
      total: counted.count,
      ...(counted.capped ? { totalCapped: true } : {}),
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ t: last.created_at, i: last.id }) }
        : {}),
    };
  }

  async count(principal: Principal, customerId?: string) {
    const counted = await repo.countOpenSuggestions(
      this.db,
      principal.accountId,
      { scope: principal.scope, customerId },
      SUGGESTION_COUNT_CAP,
    );
    return counted > SUGGESTION_COUNT_CAP
      ? { count: SUGGESTION_COUNT_CAP, capped: true }
      : { count: counted };
  }

  /** Dismissed for good: upkeep never writes to the pair again. Dismissing twice is no error. */
  async dismiss(principal: Principal, id: string): Promise<DuplicateSuggestion> {
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.findSuggestion(trx, principal.accountId, id, principal.scope);
      if (!row) throw new NotFoundError('duplicate_suggestion', id);
      await repo.dismissSuggestion(trx, principal.accountId, id, principal.name, nowIso());
      const [presented] = await this.present(principal.accountId, [row], trx);
      return presented!;
    });
  }

  private async present(
    accountId: string,
    rows: DuplicateSuggestionTable[],
    db: Kysely<Database> = this.db,
  ): Promise<DuplicateSuggestion[]> {
    const ids = [...new Set(rows.flatMap((r) => [r.customer_a, r.customer_b]))];
    const customers = await this.customers.presentMany(
      db,
      accountId,
      await findCustomers(db, accountId, ids),
    );
    const byId = new Map(customers.map((c) => [c.id, c]));
    return rows.flatMap((row) => {
      const a = byId.get(row.customer_a);
      const b = byId.get(row.customer_b);
      if (!a || !b) return [];
      return [
        {
          id: row.id,
          customers: [a, b] as [typeof a, typeof b],
          reasons: JSON.parse(row.reasons) as DuplicateReason[],
          createdAt: row.created_at,
        },
      ];
    });
  }
}
