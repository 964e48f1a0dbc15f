// The export phase of the data-rights suite: the big customer's archive, built by a real Kunde
// process (the compiled server with npm start's heap flags, kunde-process.ts) so that its peak
// RSS is the server's own, not the bench's with its bulk-inserted data, and measured beside the
// same process idle. The bench queues the export (the job row, as the API would) and waits for
// the archive to be ready; the server's worker finds the job at its next poll (within 1 s).
import type { Principal } from '../server/agents/principal.ts';
import { exportFileKey } from '../server/exports/export.repository.ts';
import type { Services } from '../server/services.ts';
import type { FreshDatabase } from './fresh-db.ts';
import { startKundeProcess } from './kunde-process.ts';

export interface ExportFigures {
  seconds: number;
  sizeMb: number;
  /** The server's RSS just before the export was requested. */
  idleRssMb: number;
  /** The server's peak RSS while it built the archive (sampled every 20 ms). */
  peakRssMb: number;
}

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureExport(
  fresh: FreshDatabase,
  services: Services,
  principal: Principal,
  customerId: string,
): Promise<ExportFigures> {
  const kunde = await startKundeProcess({
    dataDir: fresh.dataDir,
    databaseUrl: fresh.url,
    logLevel: 'warn',
  });
  try {
    await sleep(1000);
    const idle = kunde.sampleRss()();
    const sampling = kunde.sampleRss(20);
    const started = performance.now();
    const { export: requested } = await services.exports.request(principal, customerId);
    for (;;) {
      const row = (await services.exports.list(principal, customerId)).find(
        (e) => e.id === requested.id,
      );
      if (row?.state === 'failed') throw new Error(`the export failed: ${row.error ?? ''}`);
      if (row?.state === 'ready') break;
      await sleep(50);
    }
    const seconds = (performance.now() - started) / 1000;
    const peak = sampling();
    const stored = await services.files.stat(exportFileKey(principal.accountId, requested.id));
    return {
      seconds: Number(seconds.toFixed(2)),
      sizeMb: Number(((stored?.size ?? 0) / MB).toFixed(1)),
      idleRssMb: Math.round(idle / MB),
      peakRssMb: Math.round(peak / MB),
    };
  } finally {
    await kunde.stop();
  }
}
