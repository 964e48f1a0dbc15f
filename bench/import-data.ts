// The import bench's files, streamed to disk (never whole in memory). Row i of the big file is a
// pure function of (seed, i): 10% update an existing customer (same email, another last name),
// 1% are bad (five kinds, below), the rest are new customers. The preload file creates those
// existing customers first. Cached in BENCH_DIR with a sidecar .json of what to expect.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { csvLine } from '../server/imports/csv-reader.ts';
import { asciiName, phoneFor, rngFor, type Rng } from './data.ts';
import { FIRST_NAMES, FREE_MAIL, LAST_NAMES, ORGANIZATIONS } from './names.ts';

export const IMPORT_HEADER = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'organization',
  'customer_no',
  'attribute:segment',
  'attribute:city',
  'attribute:address',
  'attribute:note',
];
/** The account's custom field the customer_no column maps to (a bad number fails the row). */
export const CUSTOMER_NO_FIELD = { key: 'customer_no', label: 'Customer no.', type: 'number' };
const SEGMENTS = ['smb', 'enterprise', 'public sector', 'partner'];
const CITIES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromsø', 'Ålesund', 'Bodø', 'Drammen'];
const STREETS = ['Storgata', 'Kirkeveien', 'Strandgata', 'Parkveien', 'Industriveien', 'Skolegata'];
const NOTES = [
  'Kunde siden 2019, foretrekker e-post',
  'Ring etter klokken 12',
  'Fakturaspørsmål går til regnskap',
  'Har to abonnement; se avtale',
  'Called about the new contract',
];
/** Bump when the rows change, so cached files are written again. */
const FILE_VERSION = 4;

export interface ImportFile {
  file: string;
  rows: number;
  bytes: number;
  /** What a correct import reports. */
  expected: { created: number; updated: number; unchanged: number; failed: number };
}

type Kind = 'create' | 'update' | 'bad';

function kindOf(i: number): Kind {
  if (i % 100 === 37) return 'bad';
  return i % 10 === 3 ? 'update' : 'create';
}

/** Customers the preload creates: one for each update row (row 10k + 3 updates customer k). */
export function existingCount(rows: number): number {
  return Math.floor((rows + 6) / 10);
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function written(rng: Rng, e164: string): string {
  const n = e164.slice(3);
  return rng() < 0.5 ? `${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}` : e164;
}

function existingAt(seed: number, k: number, rows: number): string[] {
  const rng = rngFor(seed ^ 0xe71, k);
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const email = `${asciiName(first)}.${asciiName(last)}.e${k}@${pick(rng, FREE_MAIL)}`;
  const city = pick(rng, CITIES);
  return [
    email,
    phoneFor(rows + k),
    first,
    last,
    '',
    String(500_000 + k),
    pick(rng, SEGMENTS),
    city,
  ];
}

function createAt(seed: number, i: number): string[] {
  const rng = rngFor(seed ^ 0xc5f, i);
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const organization = rng() < 0.3 ? pick(rng, ORGANIZATIONS) : undefined;
  const domain = organization && rng() < 0.8 ? organization.domain : pick(rng, FREE_MAIL);
  // Row i + 20 of a bad kind repeats this row's email, so this one always has one.
  const hasEmail = i % 100 === 17 || rng() < 0.9;
  const hasPhone = !hasEmail || rng() < 0.6;
  return [
    hasEmail ? `${asciiName(first)}.${asciiName(last)}.${i}@${domain}` : '',
    hasPhone ? written(rng, phoneFor(i)) : '',
    first,
    last,
    organization?.name ?? '',
    rng() < 0.6 ? String(1_000_000 + i) : '',
    rng() < 0.5 ? pick(rng, SEGMENTS) : '',
    rng() < 0.8 ? pick(rng, CITIES) : '',
    rng() < 0.7 ? `${pick(rng, STREETS)} ${1 + Math.floor(rng() * 120)}` : '',
    rng() < 0.5 ? pick(rng, NOTES) : '',
  ];
}

/** Data row i (0-based) of the big file. */
export function importRowAt(seed: number, i: number, rows: number): string[] {
  const kind = kindOf(i);
  if (kind === 'update') {
    const k = (i - 3) / 10;
    const [email = '', , first = '', last = ''] = existingAt(seed, k, rows);
    const rng = rngFor(seed ^ 0x0bd, k);
    let renamed = pick(rng, LAST_NAMES);
    if (renamed === last) renamed = `${last}-Hansen`;
    return [k % 3 === 0 ? email.toUpperCase() : email, '', first, renamed];
  }
  const cells = createAt(seed, i);
  if (kind === 'create') return cells;
  switch (Math.floor(i / 100) % 5) {
    case 0: // no @ in the email address
      return [(cells[0] || 'x.y@example.com').replace('@', '.at.'), ...cells.slice(1)];
    case 1: // a number no country has
      return [cells[0] || `nophone.${i}@example.com`, '12345', ...cells.slice(2)];
    case 2: {
      // the same email as 20 rows up, in capitals: a duplicate inside the file
      const [email = ''] = createAt(seed, i - 20);
      return [email.toUpperCase(), '', ...cells.slice(2)];
    }
    case 3: // neither email nor mobile number
      return ['', '', ...cells.slice(2)];
    default: // not a number in the number field
      return [cells[0] || `badno.${i}@example.com`, cells[1] ?? '', ...cells.slice(2, 5), 'abc'];
  }
}

async function writeLines(file: string, count: number, line: (i: number) => string[]) {
  const temp = `${file}.writing`;
  const out = fs.createWriteStream(temp);
  let bytes = 0;
  let chunk = csvLine(IMPORT_HEADER);
  for (let i = 0; i < count; i++) {
    // Every row has every column, as spreadsheets write them (short rows cost csv-parse an error).
    const cells = line(i);
    while (cells.length < IMPORT_HEADER.length) cells.push('');
    chunk += csvLine(cells);
    if (chunk.length > 256 * 1024 || i === count - 1) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (chunk) out.write(chunk);
  out.end();
  await once(out, 'finish');
  fs.renameSync(temp, file);
  return bytes;
}

function cached(file: string): ImportFile | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as ImportFile;
    return fs.existsSync(file) && fs.statSync(file).size === meta.bytes ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** The big file: `rows` data rows; written once per (rows, seed) and reused. */
export async function importFile(dir: string, rows: number, seed: number): Promise<ImportFile> {
  const file = path.join(dir, `import-${rows}-${seed}-v${FILE_VERSION}.csv`);
  const found = cached(file);
  if (found) return found;
  fs.mkdirSync(dir, { recursive: true });
  const expected = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (let i = 0; i < rows; i++) {
    const kind = kindOf(i);
    if (kind === 'bad') expected.failed += 1;
    else if (kind === 'update') expected.updated += 1;
    else expected.created += 1;
  }
  const bytes = await writeLines(file, rows, (i) => importRowAt(seed, i, rows));
  const meta: ImportFile = { file, rows, bytes, expected };
  fs.writeFileSync(`${file}.json`, JSON.stringify(meta));
  return meta;
}

/** The customers the big file's update rows match, as a file to import first. */
export async function preloadFile(dir: string, rows: number, seed: number): Promise<ImportFile> {
  const count = existingCount(rows);
  const file = path.join(dir, `preload-${rows}-${seed}-v${FILE_VERSION}.csv`);
  const found = cached(file);
  if (found) return found;
  fs.mkdirSync(dir, { recursive: true });
  const bytes = await writeLines(file, count, (k) => existingAt(seed, k, rows));
  const expected = { created: count, updated: 0, unchanged: 0, failed: 0 };
  const meta: ImportFile = { file, rows: count, bytes, expected };
  fs.writeFileSync(`${file}.json`, JSON.stringify(meta));
  return meta;
}
