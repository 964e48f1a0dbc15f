// The 'merge' suite (issue 15, item 8): two customers with BENCH_MERGE_TICKETS (10,000) tickets
// each, one message per ticket, merged over HTTP (POST /customers/{id}/merge: one transaction)
// and undone, beside the engine's own ceiling measured on the same database: one transaction of
// the plain UPDATEs that move the duplicate's tickets and messages to the survivor and back, the
// least a merge of those rows can cost. The merge does more (locks, identities, journal, audit,
// suggestions, the webhook event), so the ratio says what that bookkeeping costs.
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { buildApp } from '../server/http/app.ts';
import { createServices } from '../server/services.ts';
import type { Dialect } from '../server/db/connect.ts';
import type { Database } from '../server/db/database.ts';
import { insertClosedTickets } from '../server/test/bulk-tickets.ts';
import { systemPrincipal } from '../server/agents/principal.ts';
import { freshDatabase, type Place } from './fresh-db.ts';

export interface MergeOptions extends Place {
  tickets: number;
  log: (message: string) => void;
}

export interface MergeResult {
  dialect: Dialect;
  tickets: number;
  mergeMs: number;
  undoMs: number;
  /** The plain UPDATEs of the moved tickets and messages, there and back, one transaction each. */
  ceilingMs: number;
  ceilingBackMs: number;
}

async function moveRows(db: Kysely<Database>, accountId: string, from: string, to: string) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('ticket_messages')
      .set({ customer_id: to })
      .where('account_id', '=', accountId)
      .where('customer_id', '=', from)
      .execute();
    await trx
      .updateTable('tickets')
      .set({ requester_id: to })
      .where('account_id', '=', accountId)
      .where('requester_id', '=', from)
      .execute();
  });
}

export async function runMerge(dialect: Dialect, options: MergeOptions): Promise<MergeResult> {
  const fresh = await freshDatabase(dialect, options, 'kunde_bench_merge');
  const db = fresh.open(10);
  const services = createServices(db, { dataDir: fresh.dataDir });
  const app = await buildApp({ services, logLevel: 'warn' });
  try {
    const { accountId, userId } = await services.agents.createAccount({
      accountName: 'Merge bench',
      name: 'Bench Admin',
      email: 'admin@merge-bench.example',
      password: 'merge bench horse battery',
    });
    const { token } = await services.agents.createToken(accountId, userId, 'bench');
    const principal = systemPrincipal(accountId);
    const make = (first: string, email: string) =>
      services.customers.create(principal, { firstName: first, lastName: 'Dahl', email }, 'api');
    const survivor = await make('Ola', 'ola@merge-bench.example');
    const duplicate = await make('Ola', 'ola.privat@merge-bench.example');
    options.log(`merge ${dialect}: inserting 2 × ${options.tickets} tickets`);
    await insertClosedTickets(db.kysely, accountId, survivor, options.tickets, 1);
    await insertClosedTickets(db.kysely, accountId, duplicate, options.tickets, 1);
    if (dialect === 'postgres') await sql`analyze`.execute(db.kysely);

    // The ceiling first, on the same rows: moved there and back twice, the faster round kept
    // (the first one also pays for pages read cold), so the merge starts as it was.
    const back = await db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('account_id', '=', accountId)
      .where('requester_id', '=', duplicate.id)
      .execute();
    let ceilingMs = Infinity;
    let ceilingBackMs = Infinity;
    for (let round = 0; round < 2; round++) {
      let t = performance.now();
      await moveRows(db.kysely, accountId, duplicate.id, survivor.id);
      ceilingMs = Math.min(ceilingMs, performance.now() - t);
      t = performance.now();
      await db.kysely.transaction().execute(async (trx) => {
        for (let i = 0; i < back.length; i += 500) {
          const ids = back.slice(i, i + 500).map((r) => r.id);
          await trx
            .updateTable('tickets')
            .set({ requester_id: duplicate.id })
            .where('account_id', '=', accountId)
            .where('id', 'in', ids)
            .execute();
          await trx
            .updateTable('ticket_messages')
            .set({ customer_id: duplicate.id })
            .where('account_id', '=', accountId)
            .where('ticket_id', 'in', ids)
            .execute();
        }
      });
      ceilingBackMs = Math.min(ceilingBackMs, performance.now() - t);
    }

    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const post = async (url: string, body?: unknown) => {
      const response = await fetch(`http://127.0.0.1:${port}${url}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      return json;
    };
    let t0 = performance.now();
    const merged = await post(`/api/v1/customers/${survivor.id}/merge`, {
      duplicateId: duplicate.id,
    });
    const mergeMs = performance.now() - t0;
    const moved = merged.moved as { tickets: number };
    if (moved.tickets !== options.tickets)
      throw new Error(`the merge moved ${moved.tickets} tickets, not ${options.tickets}`);
    t0 = performance.now();
    await post(`/api/v1/customer-merges/${(merged.merge as { id: string }).id}/undo`);
    const undoMs = performance.now() - t0;
    options.log(
      `merge ${dialect}: merge ${mergeMs.toFixed(0)} ms, undo ${undoMs.toFixed(0)} ms; ` +
        `plain UPDATEs ${ceilingMs.toFixed(0)} / ${ceilingBackMs.toFixed(0)} ms`,
    );
    return { dialect, tickets: options.tickets, mergeMs, undoMs, ceilingMs, ceilingBackMs };
  } finally {
    await app.close();
    await db.close();
  }
}

export function formatMerge(results: MergeResult[]): string {
  const lines = [
    'Customer merge (two customers of N tickets each, one message per ticket), one transaction',
    'each, beside the plain UPDATEs of the moved rows on the same engine',
  ];
  for (const r of results)
    lines.push(
      `  ${r.dialect.padEnd(8)} merge ${r.mergeMs.toFixed(0)} ms (UPDATEs ${r.ceilingMs.toFixed(0)} ms, ` +
        `x${(r.mergeMs / r.ceilingMs).toFixed(1)})   undo ${r.undoMs.toFixed(0)} ms (UPDATEs ` +
        `${r.ceilingBackMs.toFixed(0)} ms, x${(r.undoMs / r.ceilingBackMs).toFixed(1)})   ` +
        `(${r.tickets} tickets each)`,
    );
  return lines.join('\n');
}
