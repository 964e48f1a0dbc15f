// `npm run bench -- --suite data-rights`: the export and then the erasure of one customer with
// BENCH_ERASE_TICKETS tickets (10,000) and five messages each (50,000): the export built by a
// real Kunde process (export-phase.ts: time, archive size, that server's peak RSS beside its idle
// RSS), the erasure with its time and the peak RSS of this process while it runs; and a retention
// purge of BENCH_PURGE_CUSTOMERS inactive customers (100,000), in customers per second. Erasure
// and purge run in this process, through ErasureService (the code the job runs), on a fresh
// database per engine; the data is bulk-inserted beforehand.
import { accountSettingsSchema } from '../common/settings.ts';
import { insertAccount } from '../server/accounts/account.repository.ts';
import type { Dialect } from '../server/db/connect.ts';
import type { Database } from '../server/db/database.ts';
import { newId } from '../server/db/ids.ts';
import { createServices } from '../server/services.ts';
import { PURGE_BATCH } from '../server/erasure/erasure.task.ts';
import { measureExport, type ExportFigures } from './export-phase.ts';
import { dropDatabase, freshDatabase, type Place } from './fresh-db.ts';
import type { Insertable, Kysely } from 'kysely';
import { ALL } from '../server/access/scope.ts';

export interface DataRightsOptions extends Place {
  tickets: number;
  messagesPerTicket: number;
  purgeCustomers: number;
  log: (message: string) => void;
}

export interface DataRightsResult {
  engine: Dialect;
  export: ExportFigures;
  erase: { tickets: number; messages: number; seconds: number; peakRssMb: number };
  purge: { customers: number; seconds: number; perSecond: number; peakRssMb: number };
}

function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return work().then(
    (result) => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { result, peakMb: Math.round(peak / 1024 / 1024) };
    },
    (error: unknown) => {
      clearInterval(timer);
      throw error;
    },
  );
}

async function insertChunked<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
) {
  // 200 rows × ≤ 20 columns stays under SQLite's bound-parameter limit.
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + 200))
        .execute();
  });
}

function customerRow(accountId: string, number: number, lastActivity: string) {
  const email = `purge${number}@bench.example`;
  return {
    account_id: accountId,
    id: newId(),
    number,
    first_name: 'Bench',
    last_name: `Customer ${number}`,
    email,
    phone: null,
    custom_attributes: '{}',
    status: 'active',
    created_via: 'import',
    search_text: `bench customer ${number} ${email}`,
    last_activity_at: lastActivity,
    created_at: lastActivity,
    updated_at: lastActivity,
    version: 1,
    organization_id: null,
    type_id: null,
    email_domain: 'bench.example',
    import_id: null,
    import_row: null,
    created_import_id: null,
    created_import_row: null,
    default_location_id: null,
    hub_access: 1,
  };
}

export async function runDataRights(
  engine: Dialect,
  options: DataRightsOptions,
): Promise<DataRightsResult> {
  const fresh = await freshDatabase(engine, options, 'kunde_bench_rights');
  const db = fresh.open(10);
  try {
    const services = createServices(db, { dataDir: fresh.dataDir });
    const accountId = newId();
    const longAgo = new Date(Date.now() - 1000 * 86_400_000).toISOString();
    await insertAccount(db.kysely, {
      id: accountId,
      name: 'Bench',
      settings: { ...accountSettingsSchema.parse({}), customerRetentionDays: 30 },
      createdAt: longAgo,
    });
    const principal = {
      accountId,
      type: 'user' as const,
      userId: newId(),
      name: 'Bench Agent',
      permissions: new Set([]),
      scope: ALL,
      locale: 'en',
    };

    // One customer with many closed tickets.
    const big = customerRow(accountId, 1, longAgo);
    await insertChunked(db.kysely, 'customers', [big]);
    await insertChunked(db.kysely, 'customer_identities', [
      {
        account_id: accountId,
        kind: 'email',
        value: big.email,
        customer_id: big.id,
        created_at: longAgo,
      },
    ]);
    const messages = options.tickets * options.messagesPerTicket;
    options.log(`data-rights ${engine}: ${options.tickets} tickets, ${messages} messages`);
    for (let start = 0; start < options.tickets; start += 2000) {
      const tickets = [];
      const rows = [];
      for (let i = start; i < Math.min(options.tickets, start + 2000); i++) {
        const id = newId();
        tickets.push({
          account_id: accountId,
          id,
          number: i + 1,
          subject: `Ticket ${i + 1}`,
          status: 'closed',
          channel: 'email',
          requester_id: big.id,
          organization_id: null,
          assignee_id: null,
          team_id: null,
          message_count: options.messagesPerTicket,
          last_message_at: longAgo,
          created_at: longAgo,
          updated_at: longAgo,
        });
        for (let m = 0; m < options.messagesPerTicket; m++)
          rows.push({
            account_id: accountId,
            id: newId(),
            ticket_id: id,
            author_type: 'customer' as const,
            customer_id: big.id,
            user_id: null,
            author_name: 'Bench Customer',
            channel: 'email',
            body_text: `Message ${m} of ticket ${i + 1}: the printer is broken again.`,
            body_html: null,
            email_message_id: null,
            internal: 0,
            hub_seen_at: null,
            created_at: longAgo,
          });
      }
      await insertChunked(db.kysely, 'tickets', tickets);
      await insertChunked(db.kysely, 'ticket_messages', rows);
    }
    const exported = await measureExport(fresh, services, principal, big.id);
    options.log(
      `data-rights ${engine}: exported in ${exported.seconds} s (${exported.sizeMb} MB, peak RSS ${exported.peakRssMb} MB, idle ${exported.idleRssMb} MB)`,
    );
    const erase = await peakRss(async () => {
      const started = performance.now();
      await services.erasure.request(principal, big.id);
      await services.worker.drain();
      return (performance.now() - started) / 1000;
    });
    options.log(`data-rights ${engine}: erased in ${erase.result.toFixed(1)} s`);

    // Inactive customers for the purge.
    for (let start = 0; start < options.purgeCustomers; start += 5000) {
      const rows = [];
      for (let n = start; n < Math.min(options.purgeCustomers, start + 5000); n++)
        rows.push(customerRow(accountId, n + 2, longAgo));
      await insertChunked(db.kysely, 'customers', rows);
      await insertChunked(
        db.kysely,
        'customer_identities',
        rows.map((r) => ({
          account_id: accountId,
          kind: 'email' as const,
          value: r.email,
          customer_id: r.id,
          created_at: longAgo,
        })),
      );
    }
    await services.settings.update(accountId, { retentionPurgeEnabled: true });
    const purge = await peakRss(async () => {
      const started = performance.now();
      let erased = 0;
      for (;;) {
        const batch = await services.erasure.purgeBatch(accountId, PURGE_BATCH);
        erased += batch.erased;
        if (!batch.more) break;
      }
      return { erased, seconds: (performance.now() - started) / 1000 };
    });
    options.log(
      `data-rights ${engine}: purged ${purge.result.erased} in ${purge.result.seconds.toFixed(1)} s`,
    );
    return {
      engine,
      export: exported,
      erase: {
        tickets: options.tickets,
        messages,
        seconds: Number(erase.result.toFixed(2)),
        peakRssMb: erase.peakMb,
      },
      purge: {
        customers: purge.result.erased,
        seconds: Number(purge.result.seconds.toFixed(2)),
        perSecond: Math.round(purge.result.erased / purge.result.seconds),
        peakRssMb: purge.peakMb,
      },
    };
  } finally {
    await db.close();
    await dropDatabase(options, fresh);
  }
}

export function formatDataRights(results: DataRightsResult[]): string {
  const lines = [
    '| engine | tickets / messages | export: time | zip | server RSS idle → peak | erase: time | peak RSS | purge: customers | time | customers/s | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results)
    lines.push(
      `| ${r.engine} | ${r.erase.tickets} / ${r.erase.messages} | ${r.export.seconds} s | ${r.export.sizeMb} MB | ${r.export.idleRssMb} → ${r.export.peakRssMb} MB | ${r.erase.seconds} s | ${r.erase.peakRssMb} MB | ${r.purge.customers} | ${r.purge.seconds} s | ${r.purge.perSecond} | ${r.purge.peakRssMb} MB |`,
    );
  return lines.join('\n');
}
