// The stable codes of the reasons an import gives for a row it did not import (the batch's
// checks in server/imports/import-batch.ts), each with the English sentence it is written as.
// The sentence is built from its template here and nowhere else, so the console can read the
// code and its params back out of a report that carries only the sentence (the error CSV) and
// show the reason in the agent's language (web/i18n/import-reasons.ts, resources
// importReasons.<code>); a row error the API sends as JSON carries code and params beside it.
// A cell the row refuses (not an email address, too long) is a field error and keeps that code.
// A code is never renamed once released: add a new one instead.

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
} as const;

export type ImportReasonCode = keyof typeof IMPORT_REASONS;
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
