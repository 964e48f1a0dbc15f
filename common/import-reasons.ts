// The stable codes of the reasons an import gives for a row it did not import (the batch's
// checks in server/imports/import-batch.ts, the file's rows in csv-reader.ts and row.ts), each
// with the English sentence it is written as. The sentence is built from its template here and
// nowhere else, so the code and its params can be read back out of a report that carries only
// the sentence (an error CSV in the machine layout, which the console and the CLI read); a row
// error the API sends as JSON, and each one stored, carries code and params beside it.
// A cell the row refuses (not an email address, too long) is a field error and keeps that code.
// Here too are the words of each code in the agent's languages, the one home of them: the
// console's resources importReasons.<code> (web/i18n/resources.ts) and the reports the server
// writes for a Norwegian agent (importReasonIn) both read IMPORT_REASON_TEXTS.
// A code is never renamed once released: add a new one instead.
import { FIELD_ERROR_TEXTS, fillText } from './field-error-texts.ts';
import { isFieldErrorCode } from './field-error-codes.ts';
import type { Locale } from './settings.ts';

/** Every code and its English sentence; {name} is a param, filled in as written. */
export const IMPORT_REASONS = {
  identity_required: 'an email address or a mobile number is required',
  same_email_as_row: 'same email address as row {row}; the row was not imported twice',
  same_phone_as_row: 'same mobile number as row {row}; the row was not imported twice',
  same_customer_as_row: 'same customer as row {row}; the row was not imported twice',
  email_of_other_customer:
    'the email address belongs to customer #{number}, not to the customer of the row',
  phone_of_other_customer:
    'the mobile number belongs to customer #{number}, not to the customer of the row',
  email_and_phone_of_two_customers:
    'the mobile number belongs to customer #{phoneNumber}, the email address to customer #{emailNumber}',
  email_exists_create_only:
    'customer #{number} already has this email address (choose "create and update" to update it)',
  phone_exists_create_only:
    'customer #{number} already has this mobile number (choose "create and update" to update it)',
  unknown_customer_type: 'no customer type named "{name}"',
  field_required: '{field} is required',
  // The row as a whole (server/imports/csv-reader.ts, row.ts).
  row_too_long: 'the row is longer than {kb} KB',
  not_utf8: 'not valid UTF-8 text',
  too_many_cells: 'the row has {cells} cells but the header has {header}',
  reserved_attribute_name: '{name} cannot be an attribute name',
} as const;

export type ImportReasonCode = keyof typeof IMPORT_REASONS;

/**
 * What the agent reads for each code, in each language: the console's resources and the
 * Norwegian reports. {{name}} is a param, as i18next writes it. A code without its English or
 * Norwegian text does not compile; e2e/message-codes.test.ts checks every text names its params.
 */
export const IMPORT_REASON_TEXTS: Record<Locale, Record<ImportReasonCode, string>> = {
  en: {
    identity_required: 'An email address or a mobile number is required',
    same_email_as_row: 'Same email address as row {{row}}; the row was not imported twice',
    same_phone_as_row: 'Same mobile number as row {{row}}; the row was not imported twice',
    same_customer_as_row: 'Same customer as row {{row}}; the row was not imported twice',
    email_of_other_customer:
      'The email address belongs to customer #{{number}}, not to the customer of the row',
    phone_of_other_customer:
      'The mobile number belongs to customer #{{number}}, not to the customer of the row',
    email_and_phone_of_two_customers:
      'The mobile number belongs to customer #{{phoneNumber}}, the email address to customer #{{emailNumber}}',
    email_exists_create_only:
      'Customer #{{number}} already has this email address (choose “Create and update” to update it)',
    phone_exists_create_only:
      'Customer #{{number}} already has this mobile number (choose “Create and update” to update it)',
    unknown_customer_type: 'No customer type named “{{name}}”',
    field_required: '{{field}} is required',
    row_too_long: 'The row is longer than {{kb}} KB',
    not_utf8: 'Not valid UTF-8 text',
    too_many_cells: 'The row has {{cells}} cells but the header has {{header}}',
    reserved_attribute_name: '{{name}} cannot be an attribute name',
  },
  nb: {
    identity_required: 'Det trengs en e-postadresse eller et mobilnummer',
    same_email_as_row: 'Samme e-postadresse som rad {{row}}; raden ble ikke importert to ganger',
    same_phone_as_row: 'Samme mobilnummer som rad {{row}}; raden ble ikke importert to ganger',
    same_customer_as_row: 'Samme kunde som rad {{row}}; raden ble ikke importert to ganger',
    email_of_other_customer: 'E-postadressen tilhører kunde #{{number}}, ikke kunden på raden',
    phone_of_other_customer: 'Mobilnummeret tilhører kunde #{{number}}, ikke kunden på raden',
    email_and_phone_of_two_customers:
      'Mobilnummeret tilhører kunde #{{phoneNumber}}, e-postadressen kunde #{{emailNumber}}',
    email_exists_create_only:
      'Kunde #{{number}} har allerede denne e-postadressen (velg «Opprett og oppdater» for å oppdatere kunden)',
    phone_exists_create_only:
      'Kunde #{{number}} har allerede dette mobilnummeret (velg «Opprett og oppdater» for å oppdatere kunden)',
    unknown_customer_type: 'Ingen kundetype heter «{{name}}»',
    field_required: '{{field}} må fylles ut',
    row_too_long: 'Raden er lengre enn {{kb}} KB',
    not_utf8: 'Ikke gyldig UTF-8-tekst',
    too_many_cells: 'Raden har {{cells}} celler, men overskriftsraden har {{header}}',
    reserved_attribute_name: '{{name}} kan ikke brukes som navn på et attributt',
  },
};
export type ImportReasonParams = Record<string, string | number>;

export interface ImportReason {
  code: ImportReasonCode;
  params: ImportReasonParams;
  /** The English sentence, as reports and API clients read it. */
  reason: string;
}

/** The names of a template's params, in order. */
export function importReasonParams(code: ImportReasonCode): string[] {
  return [...IMPORT_REASONS[code].matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** The one way an import reason is written. */
export function importReason(
  code: ImportReasonCode,
  params: ImportReasonParams = {},
): ImportReason {
  const reason = IMPORT_REASONS[code].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? '?'),
  );
  return { code, params, reason };
}

const CODES = Object.keys(IMPORT_REASONS) as ImportReasonCode[];
const PATTERNS = CODES.map((code) => {
  const literal = IMPORT_REASONS[code].replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return { code, pattern: new RegExp(`^${literal.replace(/\{(\w+)\}/g, '(.+?)')}$`) };
});

/** The code and params of a sentence importReason wrote; undefined for any other sentence. */
export function readImportReason(sentence: string): ImportReason | undefined {
  for (const { code, pattern } of PATTERNS) {
    const match = pattern.exec(sentence);
    if (!match) continue;
    const names = importReasonParams(code);
    return {
      code,
      params: Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? ''])),
      reason: sentence,
    };
  }
  return undefined;
}

export function isImportReasonCode(code: unknown): code is ImportReasonCode {
  return typeof code === 'string' && Object.hasOwn(IMPORT_REASONS, code);
}

/**
 * A reason's params as a language words them: a required custom field is named by its Bokmål
 * label (`fieldNb`, stored beside the English `field` when the field has one) in Bokmål.
 */
export function paramsIn(language: Locale, params: ImportReasonParams): ImportReasonParams {
  const nb = params.fieldNb;
  return language === 'nb' && typeof nb === 'string' && nb ? { ...params, field: nb } : params;
}

/** A row's reason as stored and reported: the English sentence, and its code where it has one. */
export interface CodedReason {
  reason: string;
  code?: string | null;
  params?: ImportReasonParams | null;
}

/**
 * A row's reason in `language`, as a report the agent downloads writes it. English is the
 * sentence as written (the more specific: "not an email address: the domain is not valid"), which
 * the machine layout must keep; another language says it by the code (an import reason or a
 * field error code), read back out of the sentence where none was stored (reports of imports
 * before codes were), and keeps the English sentence only for a reason that has no code at all.
 */
export function importReasonIn(language: Locale, reason: CodedReason): string {
  if (language === 'en') return reason.reason;
  const params = paramsIn(language, reason.params ?? {});
  if (isImportReasonCode(reason.code))
    return fillText(IMPORT_REASON_TEXTS[language][reason.code], params);
  if (isFieldErrorCode(reason.code))
    return fillText(FIELD_ERROR_TEXTS[language][reason.code], params);
  const read = readImportReason(reason.reason);
  return read ? fillText(IMPORT_REASON_TEXTS[language][read.code], read.params) : reason.reason;
}
