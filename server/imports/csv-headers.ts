// The column headers of the CSV files Kunde writes, in the layout the agent asked for
// (common/csv-format.ts): machine names, or English or Norwegian words. Every localized header is
// one the import recognises (columns.ts), so a Norwegian export re-imports without a mapping; a
// custom field is headed by its label in that language unless the label would be read as another
// column, and then by its key. The reasons an import report gives are written in the same
// language (reportedReason), and stay the English sentences in the machine layout.
import type { CsvFormat } from '../../common/csv-format.ts';
import type { CustomField } from '../../common/custom-field.ts';
import { ATTRIBUTE_PREFIX } from '../../common/import-columns.ts';
import { importReasonIn, type ImportReasonParams } from '../../common/import-reasons.ts';
import type { Locale } from '../../common/settings.ts';
import { csvLine } from './csv-reader.ts';
import {
  ATTRIBUTE_PREFIX_NB,
  FIX_FILE_REASON_COLUMN,
  headerKey,
  isKnownHeader,
} from './columns.ts';

const HEADERS: Record<string, Record<Locale, string>> = {
  // The customer export and the template.
  number: { en: 'Number', nb: 'Kundenummer' },
  email: { en: 'Email', nb: 'E-post' },
  phone: { en: 'Phone', nb: 'Telefon' },
  additional_emails: { en: 'Additional emails', nb: 'Flere e-postadresser' },
  additional_phones: { en: 'Additional phones', nb: 'Flere telefonnumre' },
  first_name: { en: 'First name', nb: 'Fornavn' },
  last_name: { en: 'Last name', nb: 'Etternavn' },
  organization: { en: 'Organization', nb: 'Organisasjon' },
  type: { en: 'Type', nb: 'Kundetype' },
  status: { en: 'Status', nb: 'Status' },
  hub_access: { en: 'Hub access', nb: 'Hub-tilgang' },
  created_at: { en: 'Created', nb: 'Opprettet' },
  // The import's error report.
  row: { en: 'Row', nb: 'Rad' },
  column: { en: 'Column', nb: 'Kolonne' },
  value: { en: 'Value', nb: 'Verdi' },
  reason: { en: 'Reason', nb: 'Årsak' },
  // The fix file's reason column: every one of them is read past on re-upload (READ_ONLY_COLUMNS).
  [FIX_FILE_REASON_COLUMN]: { en: 'Import error', nb: 'Importfeil' },
};

/** Every machine name with its headers, for the tests and the README's table. */
export const LOCALIZED_HEADERS: Readonly<typeof HEADERS> = HEADERS;

/** One column's header: its machine name, or its words in the format's language. */
export function columnHeader(format: CsvFormat, name: string): string {
  if (format.headers === 'machine') return name;
  return HEADERS[name]?.[format.language] ?? name;
}

/** A free-form attribute's header: "attribute:role" or "attributt:role". */
export function attributeHeader(format: CsvFormat, name: string): string {
  const prefix =
    format.headers === 'localized' && format.language === 'nb'
      ? ATTRIBUTE_PREFIX_NB
      : ATTRIBUTE_PREFIX;
  return `${prefix}${name}`;
}

/**
 * The custom fields' headers: the label in the format's language, or the key where that label
 * would come back as something else (a built-in column, another field, a column already in the
 * file), so the file still re-imports into the same fields.
 */
export function fieldHeaders(format: CsvFormat, fields: CustomField[], taken: string[]): string[] {
  const used = new Set(taken.map(headerKey));
  const labels = fields.map((f) =>
    format.headers === 'machine'
      ? f.key
      : format.language === 'nb'
        ? f.labelNb || f.label || f.key
        : f.label || f.key,
  );
  // Which fields each name would be read as (autoMap reads a key, a label and a Bokmål label).
  const readAs = new Map<string, Set<string>>();
  for (const field of fields)
    for (const name of [field.key, field.label, field.labelNb])
      if (name)
        readAs.set(headerKey(name), (readAs.get(headerKey(name)) ?? new Set()).add(field.key));
  return labels.map((label, index) => {
    const key = headerKey(label);
    const clash = used.has(key) || isKnownHeader(key) || (readAs.get(key)?.size ?? 0) > 1;
    const header = clash ? fields[index]!.key : label;
    used.add(headerKey(header));
    return header;
  });
}

/** A line of the file in the format's delimiter (the file's first line starts with the BOM). */
export function formatLine(
  format: CsvFormat,
  cells: (string | number | boolean | null | undefined)[],
): string {
  return csvLine(cells, format.delimiter);
}

/** The header line: a UTF-8 BOM (Excel then reads "ø" as ø) and the headers. */
export function headerLine(format: CsvFormat, headers: string[]): string {
  return `\uFEFF${formatLine(format, headers)}`;
}

// The words of the export's read-only cells in Norwegian (the import reads past these columns,
// so any words re-import); English keeps the machine values, as it always wrote them.
const NB_CELL_WORDS: Record<'status' | 'hub_access', Record<string, string>> = {
  status: { active: 'aktiv', deactivated: 'deaktivert', merged: 'slått sammen' },
  hub_access: { true: 'ja', false: 'nei' },
};

/** A status or Hub access cell as the format writes it: "aktiv", "ja" in Norwegian. */
export function readOnlyCell(
  format: CsvFormat,
  column: 'status' | 'hub_access',
  value: string | boolean,
): string {
  const text = String(value);
  if (format.headers === 'machine' || format.language !== 'nb') return text;
  return NB_CELL_WORDS[column][text] ?? text;
}

/** The fix file's reason column: "import_error", "Import error" or "Importfeil". */
export function fixFileReasonHeader(format: Pick<CsvFormat, 'headers' | 'language'>): string {
  return format.headers === 'machine'
    ? FIX_FILE_REASON_COLUMN
    : (HEADERS[FIX_FILE_REASON_COLUMN]?.[format.language] ?? FIX_FILE_REASON_COLUMN);
}

/**
 * A stored reason as a report in `format` writes it: the English sentence in the machine layout
 * (the CLI and the console read the code back out of it), else in the format's language by its
 * code (common/import-reasons.ts, importReasonIn).
 */
export function reportedReason(
  format: Pick<CsvFormat, 'headers' | 'language'>,
  stored: { reason: string; code: string | null; params: string | null },
): string {
  if (format.headers === 'machine') return stored.reason;
  return importReasonIn(format.language, {
    reason: stored.reason,
    code: stored.code,
    params: stored.params ? (JSON.parse(stored.params) as ImportReasonParams) : null,
  });
}
