// The printed figures of the import and intake suites: each figure beside its ceiling (the same
// engine's raw operation, measured in the same run) and the ratio, then memory and the checks.
import type { ImportResult } from './import-suite.ts';
import type { IntakeResult } from './intake-suite.ts';
import { table } from './report.ts';

const HEADER = ['engine', 'measure', 'figure', 'ceiling', 'ratio'];

function rate(value: number, unit: string): string {
  return `${Math.round(value).toLocaleString('en')} ${unit}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function formatImport(results: ImportResult[]): string {
  if (results.length === 0) return '';
  const first = results[0] as ImportResult;
  const out = [
    `Import (issue 4): ${first.rows.toLocaleString('en')} rows, ${(first.bytes / 1e6).toFixed(0)} MB, ` +
      `${first.preloaded.toLocaleString('en')} existing customers; rows/s = data rows / job time. ` +
      'Ceiling = raw bulk insert of the created customers and their identities.',
    '',
    table(
      HEADER,
      results.map((r) => [
        r.engine,
        `import rows/s, suggestion upkeep ${r.duplicateUpkeep ?? 'on'}` +
          (r.duplicateUpkeep === 'off'
            ? ''
            : ` (${(r.suggestions ?? 0).toLocaleString('en')} pairs)`),
        rate(r.rowsPerSecond, 'rows/s'),
        Number.isNaN(r.ceiling.rowsPerSecond) ? '–' : rate(r.ceiling.rowsPerSecond, 'rows/s'),
        Number.isNaN(r.ratio) ? '–' : `${r.ratio.toFixed(2)}x`,
      ]),
    ),
    '',
    table(
      [
        'engine',
        'batch',
        'job',
        'upload',
        'end to end',
        'peak RSS',
        'idle / upload / job',
        'ceiling',
        'method',
      ],
      results.map((r) => [
        r.engine,
        r.batchSize,
        `${r.jobSeconds.toFixed(1)} s`,
        `${r.uploadSeconds.toFixed(1)} s`,
        `${r.endToEndSeconds.toFixed(1)} s`,
        mb(r.peakRssBytes),
        [r.rssByPhase.idle, r.rssByPhase.upload, r.rssByPhase.job].map(mb).join(' / '),
        `${r.ceiling.seconds.toFixed(1)} s`,
        r.ceiling.method,
      ]),
    ),
    '',
    table(
      ['engine', 'created', 'updated', 'unchanged', 'failed', 'accounted', 'expected', 'customers'],
      results.map((r) => [
        r.engine,
        String(r.counts.created),
        String(r.counts.updated),
        String(r.counts.unchanged),
        String(r.counts.failed),
        r.checks.accounted ? 'yes' : 'NO',
        r.checks.asExpected ? 'yes' : 'NO',
        `${r.checks.customersInDatabase} / ${r.checks.customersExpected}`,
      ]),
    ),
  ];
  return out.join('\n');
}

export function formatIntake(results: IntakeResult[]): string {
  if (results.length === 0) return '';
  const first = results[0] as IntakeResult;
  const out = [
    `Intake (issue 5): ${first.smtp.messages.toLocaleString('en')} messages over ` +
      `${first.smtp.connections} SMTP connections, ${first.findOrCreate.operations.toLocaleString('en')} ` +
      'find-or-create operations, 20% new senders. Ceiling = raw insert-or-get on the identities.',
    '',
    table(
      HEADER,
      results.flatMap((r) => [
        [
          r.engine,
          'SMTP intake msg/s',
          rate(r.smtp.messagesPerSecond, 'msg/s'),
          rate(r.raw.opsPerSecond, 'ops/s'),
          `${r.ratios.smtp.toFixed(3)}x`,
        ],
        [
          r.engine,
          'find-or-create ops/s',
          rate(r.findOrCreate.opsPerSecond, 'ops/s'),
          rate(r.raw.opsPerSecond, 'ops/s'),
          `${r.ratios.findOrCreate.toFixed(3)}x`,
        ],
      ]),
    ),
    '',
    table(
      ['engine', 'Kunde CPU', 'peak RSS', 'tickets', 'processed', 'customers', 'after f-o-c'],
      results.map((r) => [
        r.engine,
        `${r.smtp.kundeCpuCores.toFixed(2)} cores`,
        mb(r.smtp.peakRssBytes),
        `${r.checks.tickets} / ${r.checks.ticketsExpected}`,
        String(r.checks.processed),
        `${r.checks.customers} / ${r.checks.customersExpected}`,
        `${r.checks.customersAfterFindOrCreate} / ${r.checks.customersAfterFindOrCreateExpected}`,
      ]),
    ),
  ];
  return out.join('\n');
}
