// The printed report: one table of API figure, raw engine figure and ratio per engine and
// measure, then the search broken down by what was typed, and where the list time goes.
import type { Dialect } from '../server/db/connect.ts';
import type { Measure, SuiteResult } from './suite.ts';

export interface EngineReport {
  engine: Dialect;
  generation: { seconds: number; reused: boolean };
  measures: Measure[];
  details: SuiteResult['details'];
}

export interface BenchReport {
  startedAt: string;
  customers: number;
  seed: number;
  settings: {
    searches: number;
    listRequests: number;
    seconds: number;
    connections: number;
    logLevel: string;
  };
  machine: { node: string; cpus: number; platform: string };
  engines: EngineReport[];
}

function figure(value: number, unit: string): string {
  if (unit === 'req/s') return `${Math.round(value).toLocaleString('en')} req/s`;
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        c === 0 || c === 1 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0),
      )
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  out.push(
    `Kunde bench: ${report.customers.toLocaleString('en')} customers, node ${report.machine.node}, ` +
      `${report.machine.cpus} CPUs. Ratio = API / raw engine, same SQL, same run.`,
  );
  const rows = report.engines.flatMap((e) =>
    e.measures.map((m) => [
      e.engine,
      m.name,
      figure(m.api, m.unit),
      figure(m.raw, m.unit),
      `${m.ratio.toFixed(2)}x`,
    ]),
  );
  out.push('', table(['engine', 'measure', 'API', 'raw', 'API/raw'], rows));

  const kinds = report.engines.flatMap((e) =>
    Object.entries(e.details.searchByKind).map(([kind, s]) => [
      e.engine,
      kind,
      String(s.n),
      figure(s.api.p50, 'ms'),
      figure(s.api.p99, 'ms'),
      figure(s.raw.p50, 'ms'),
      figure(s.raw.p99, 'ms'),
    ]),
  );
  out.push(
    '',
    'Search by what was typed:',
    table(['engine', 'query', 'n', 'API p50', 'API p99', 'raw p50', 'raw p99'], kinds),
  );

  const split = report.engines.flatMap((e) =>
    (['search', 'firstPage', 'deepPage'] as const).map((name) => {
      const t = e.details[name];
      return [
        e.engine,
        name,
        figure(t.rawPageOnly.p50, 'ms'),
        figure(t.rawCountOnly.p50, 'ms'),
        figure(t.rawCountOnly.p99, 'ms'),
        String(t.mismatches),
      ];
    }),
  );
  out.push(
    '',
    'Where the raw time goes (page query vs the count(*) for `total`):',
    table(['engine', 'request', 'page p50', 'count p50', 'count p99', 'total mismatches'], split),
  );

  const other = report.engines.map((e) => {
    const g = e.details.getById.api;
    const gen = `${e.generation.seconds.toFixed(1)} s${e.generation.reused ? ' (cached)' : ''}`;
    return [
      e.engine,
      gen,
      figure(g.latencyP50, 'ms'),
      figure(g.latencyP99, 'ms'),
      g.requests.toLocaleString('en'),
    ];
  });
  out.push(
    '',
    table(['engine', 'generation', 'get-by-id p50', 'get-by-id p99', 'requests'], other),
  );
  return out.join('\n');
}
