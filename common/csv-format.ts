// How a CSV file Kunde writes is laid out for the person who opens it (issue 16): headers in the
// agent's language or the machine column names, and the delimiter the agent's Excel expects
// (Norwegian Excel splits on semicolons, English on commas). The query parameters of every CSV
// download (customer export, import error report, template) and their defaults, shared by the
// routes, the OpenAPI document and the console's download links.
import { z } from 'zod';
import { LOCALES, type Locale } from './settings.ts';

export const CSV_HEADER_STYLES = ['localized', 'machine'] as const;
export type CsvHeaderStyle = (typeof CSV_HEADER_STYLES)[number];

/** Named, not the characters themselves: `;` and a tab would need escaping in a URL. */
export const CSV_DELIMITER_NAMES = ['comma', 'semicolon', 'tab'] as const;
export type CsvDelimiterName = (typeof CSV_DELIMITER_NAMES)[number];
export type CsvDelimiter = ',' | ';' | '\t';

export const CSV_DELIMITERS: Record<CsvDelimiterName, CsvDelimiter> = {
  comma: ',',
  semicolon: ';',
  tab: '\t',
};

/** What a spreadsheet in each language splits on when the file is opened with a double click. */
export const DEFAULT_DELIMITER: Record<Locale, CsvDelimiterName> = {
  en: 'comma',
  nb: 'semicolon',
};

export const csvFormatQuerySchema = z.object({
  headers: z
    .enum(CSV_HEADER_STYLES)
    .optional()
    .meta({
      description:
        'localized (default): column headers in `language`, such as "E-post" and "Fornavn"; machine: ' +
        'the column names (email, first_name, …). The import reads both, in either language.',
    }),
  language: z.enum(LOCALES).optional().meta({
    description: "Language of the headers (and of the default delimiter); default the agent's",
  }),
  delimiter: z.enum(CSV_DELIMITER_NAMES).optional().meta({
    description:
      'comma, semicolon or tab; default what Excel expects in `language`: semicolon for nb, comma for en',
  }),
});
export type CsvFormatQuery = z.infer<typeof csvFormatQuerySchema>;

/** A CSV file's layout, every choice made. */
export interface CsvFormat {
  headers: CsvHeaderStyle;
  language: Locale;
  delimiter: CsvDelimiter;
}

/** The layout asked for, the rest from the agent's language (`locale`, as the principal has it). */
export function resolveCsvFormat(query: CsvFormatQuery, locale: string): CsvFormat {
  const language: Locale = query.language ?? (locale === 'nb' ? 'nb' : 'en');
  return {
    headers: query.headers ?? 'localized',
    language,
    delimiter: CSV_DELIMITERS[query.delimiter ?? DEFAULT_DELIMITER[language]],
  };
}

/** The machine layout: what scripts and Kunde's own CLI read. */
export const MACHINE_CSV: CsvFormat = { headers: 'machine', language: 'en', delimiter: ',' };
