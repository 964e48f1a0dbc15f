// What a contract page reads: its tickets with the time on each, its time entries (paged, or one
// month of them), and that month as a CSV for the customer's invoice. Reads only. A scoped agent
// (access/scope.ts) reads the contract of an organization in their scope, and of its tickets and
// entries only those on tickets they see: a ticket's subject must not leak through its contract.
import type { Kysely } from 'kysely';
import { minutesToHours, type TimeEntry } from '../../common/contract.ts';
import type { Page } from '../../common/paging.ts';
import type { Principal } from '../agents/principal.ts';
import type { Database } from '../db/database.ts';
import { escapeFormula } from '../imports/export.ts';
import { csvLine } from '../imports/csv-reader.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import type { ContractService } from './contract.service.ts';
import { agentsById, contractTickets, countContractTickets } from './contract.repository.ts';
import { contractTimeEntries, countContractTimeEntries } from './time-entry.repository.ts';
import type { TimeEntryService } from './time-entry.service.ts';

export interface ContractTicket {
  id: string;
  number: number;
  subject: string;
  status: string;
  minutes: number;
  updatedAt: string;
}

/** Counting a contract's entries stops here (the page says the total is capped). */
const COUNT_CAP = 10_000;

/** The most rows one CSV holds: a month of one contract is far below it. */
const CSV_MAX_ROWS = 50_000;

export class ContractReportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly contracts: ContractService,
    private readonly entries: TimeEntryService,
  ) {}

  async tickets(
    principal: Principal,
    contractId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<ContractTicket>> {
    const accountId = principal.accountId;
    await this.contracts.requireContract(this.db, principal, contractId);
    const before = query.cursor
      ? decodeCursor(query.cursor, (v): v is { n: number } => typeof v.n === 'number').n
      : undefined;
    const [rows, total] = await Promise.all([
      contractTickets(this.db, accountId, contractId, principal.scope, before, query.limit + 1),
      countContractTickets(this.db, accountId, contractId, principal.scope),
    ]);
    const items = rows.slice(0, query.limit).map((r) => ({
      id: r.id,
      number: Number(r.number),
      subject: r.subject,
      status: r.status,
      minutes: r.minutes,
      updatedAt: r.updated_at,
    }));
    const last = items[items.length - 1];
    return {
      items,
      total,
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ n: last.number }) }
        : {}),
    };
  }

  async timeEntries(
    principal: Principal,
    contractId: string,
    query: { month?: string; limit: number; cursor?: string },
  ): Promise<Page<TimeEntry>> {
    const accountId = principal.accountId;
    await this.contracts.requireContract(this.db, principal, contractId);
    const after = query.cursor
      ? decodeCursor(
          query.cursor,
          (v): v is { d: string; id: string } =>
            typeof v.d === 'string' && typeof v.id === 'string',
        )
      : undefined;
    const [rows, total] = await Promise.all([
      contractTimeEntries(this.db, accountId, contractId, principal.scope, {
        month: query.month,
        after,
        limit: query.limit + 1,
      }),
      countContractTimeEntries(
        this.db,
        accountId,
        contractId,
        principal.scope,
        query.month,
        COUNT_CAP + 1,
      ),
    ]);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: await this.entries.present(this.db, accountId, page),
      total: Math.min(total, COUNT_CAP),
      ...(total > COUNT_CAP ? { totalCapped: true } : {}),
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ d: last.work_date, id: last.id }) }
        : {}),
    };
  }

  /** One month of the contract's time entries as CSV (UTF-8 with BOM, so Excel reads æøå). */
  async monthCsv(principal: Principal, contractId: string, month: string) {
    const accountId = principal.accountId;
    const contract = await this.contracts.requireContract(this.db, principal, contractId);
    const rows = await contractTimeEntries(this.db, accountId, contractId, principal.scope, {
      month,
      limit: CSV_MAX_ROWS,
    });
    rows.reverse();
    const agents = await agentsById(
      this.db,
      accountId,
      rows.map((r) => r.user_id),
    );
    const lines = [
      csvLine([
        'work_date',
        'ticket_number',
        'ticket_subject',
        'agent',
        'minutes',
        'hours',
        'note',
        'over_limit_confirmed',
      ]),
      ...rows.map((r) =>
        csvLine([
          r.work_date,
          Number(r.ticket_number),
          escapeFormula(r.ticket_subject),
          escapeFormula(agents.get(r.user_id)?.name ?? ''),
          Number(r.minutes),
          minutesToHours(Number(r.minutes)),
          escapeFormula(r.note ?? ''),
          r.over_limit_confirmed ? 'yes' : 'no',
        ]),
      ),
    ];
    const name = `${contract.description.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}-${month}.csv`;
    return { filename: name, csv: `\uFEFF${lines.join('')}` };
  }
}
