// A real Kunde process (the compiled server, as `npm start` runs it) is SIGKILLed while it writes
// a customer's archive: the zip is half on disk (its unfinished file in the data directory), the
// export still 'preparing'. Started again on the same database and data directory, the job is
// taken over once the dead worker's lease runs out: the archive is finished (a whole zip, every
// ticket in it) or marked failed, never left preparing; no unfinished file is left anywhere under
// the data directory; and a new request builds and downloads a new archive.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KundeProcess } from '../../bench/kunde-process.ts';
import { createServices } from '../services.ts';
import { insertClosedTickets } from '../test/bulk-tickets.ts';
import { testDialects } from '../test/databases.ts';
import { KILL_FILE_STORE, useKillHarness } from '../test/kill-harness.ts';
import { createTestAccount } from '../test/factories.ts';
import { readZip } from './export.testkit.ts';

const TICKETS = 400;
const MESSAGES_PER_TICKET = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

describe.each(testDialects())('export killed while building on %s', (dialect) => {
  const harness = useKillHarness(dialect, 'kunde-export-kill-');

  it('finishes or fails the archive after a restart, leaves no partial file, and exports again', async () => {
    const { db, dataDir } = harness;
    let kunde: KundeProcess;
    const services = createServices(db, { dataDir, files: { backend: KILL_FILE_STORE } });
    const { accountId, admin } = await createTestAccount(services);
    const { token } = await services.agents.createToken(accountId, admin.userId ?? '', 'kill');
    const customer = await services.customers.create(
      admin,
      { firstName: 'Per', lastName: 'Arkiv', email: 'per.arkiv@export-kill.example' },
      'agent',
    );
    await insertClosedTickets(db.kysely, accountId, customer, TICKETS, MESSAGES_PER_TICKET);
    const exportsDir = path.join(dataDir, 'files', 'exports', accountId);
    const call = (method: string, url: string) =>
      fetch(`http://127.0.0.1:${kunde?.port ?? 0}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
    const exportRow = (id: string) =>
      db.kysely
        .selectFrom('customer_exports')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    /** Waits (at most 15 s) until the export is no longer being prepared. */
    const settled = async (id: string) => {
      for (let waited = 0; waited < 15_000; waited += 100) {
        const row = await exportRow(id);
        if (row.state !== 'preparing') return row;
        await sleep(100);
      }
      return exportRow(id);
    };

    kunde = await harness.start();
    const requested = await call('POST', `/api/v1/customers/${customer.id}/exports`);
    expect(requested.status).toBe(202);
    const first = (await requested.json()) as { id: string };
    // Killed once the zip is being written: its unfinished file has bytes in it.
    const partial = path.join(exportsDir, `${first.id}.zip.part`);
    for (let waited = 0; waited < 15_000; waited += 5) {
      if (fs.existsSync(partial) && fs.statSync(partial).size > 0) break;
      await sleep(5);
    }
    await kunde.kill();
    expect(fs.existsSync(partial)).toBe(true);
    expect((await exportRow(first.id)).state).toBe('preparing');

    // The restart: the archive is finished from the start, or marked failed.
    kunde = await harness.start();
    const after = await settled(first.id);
    expect(['ready', 'failed']).toContain(after.state);
    if (after.state === 'ready') {
      const zip = await readZip(fs.readFileSync(path.join(exportsDir, `${first.id}.zip`)));
      const folders = [...zip.keys()].filter((name) => /^tickets\/\d+\/messages\.txt$/.test(name));
      expect(folders).toHaveLength(TICKETS);
      const tickets = JSON.parse(zip.get('tickets.json')?.toString('utf8') ?? '[]') as unknown[];
      expect(tickets).toHaveLength(TICKETS);
    }

    console.log(`${dialect}: killed while writing the zip; after the restart it is ${after.state}`);

    // A new request works: a new archive, built and downloaded whole.
    const again = await call('POST', `/api/v1/customers/${customer.id}/exports`);
    expect(again.status).toBe(202);
    const second = (await again.json()) as { id: string };
    expect(second.id).not.toBe(first.id);
    expect((await settled(second.id)).state).toBe('ready');
    const download = await call('GET', `/api/v1/exports/${second.id}/download`);
    expect(download.status).toBe(200);
    const zip = await readZip(Buffer.from(await download.arrayBuffer()));
    expect(zip.has('customer.json')).toBe(true);
    await kunde.stop();

    // No unfinished file anywhere in the data directory; each archive file has its ready row.
    const files = walk(path.join(dataDir, 'files'));
    expect(files.filter((f) => f.endsWith('.part'))).toEqual([]);
    const ready = await db.kysely
      .selectFrom('customer_exports')
      .select('file_key')
      .where('account_id', '=', accountId)
      .where('state', '=', 'ready')
      .execute();
    expect(files.filter((f) => f.includes(`${path.sep}exports${path.sep}`)).sort()).toEqual(
      ready.map((r) => path.join(dataDir, 'files', r.file_key ?? '')).sort(),
    );
  }, 60_000);
});
