// The catalogue of stable codes a field error can carry, each with the params its message names.
// The server puts one on every field error (fieldError below builds them, so a site stays one
// line); the console translates by code and params (web/i18n fieldErrors.<code>), and shows the
// English message only for a code it does not know (an older console before a newer server).
// A code is never renamed once released: add a new one instead.
import type { FieldError } from './problem.ts';

type ParamKind = 'number' | 'string';

/** Every code, what it means (for the OpenAPI document) and the params it comes with. */
export const FIELD_ERROR_CODES = {
  required: { means: 'Nothing was sent, or only spaces', params: {} },
  unknown_field: { means: 'The request has a field the API does not know', params: {} },
  wrong_type: { means: 'A value of another type was sent', params: { expected: 'string' } },
  invalid: { means: 'Not a valid value (no more specific code applies)', params: {} },
  invalid_format: { means: 'Not in the expected format', params: {} },
  invalid_option: { means: 'Not one of the allowed values', params: { options: 'string' } },
  not_one_of: {
    means: 'One of the values is not one of the options',
    params: { value: 'string', options: 'string' },
  },
  too_short: { means: 'Fewer characters than the minimum', params: { min: 'number' } },
  too_long: { means: 'More characters than the maximum', params: { max: 'number' } },
  too_small: { means: 'A number below the minimum', params: { min: 'number' } },
  not_above: { means: 'A number that must be more than min', params: { min: 'number' } },
  too_large: { means: 'A number above the maximum', params: { max: 'number' } },
  too_few: { means: 'Fewer items than the minimum', params: { min: 'number' } },
  too_many: { means: 'More items than the maximum', params: { max: 'number' } },
  not_a_number: { means: 'Not a number', params: {} },
  not_an_integer: { means: 'Not a whole number', params: {} },
  not_a_boolean: { means: 'Not true or false', params: {} },
  not_text: { means: 'Not text', params: {} },
  not_a_list: { means: 'Not a list of options', params: {} },
  not_a_date: { means: 'Not a real day as YYYY-MM-DD', params: {} },
  not_a_month: { means: 'Not a month as YYYY-MM', params: {} },
  not_a_url: { means: 'Not an http or https address', params: {} },
  private_address: {
    means: 'A private or local network address, where webhooks are not sent',
    params: {},
  },
  not_an_email: { means: 'Not an email address', params: {} },
  not_a_phone: { means: 'Not a phone number', params: {} },
  not_a_domain: { means: 'Not an email domain such as example.com', params: {} },
  not_an_id: { means: 'Not an id in the form the API gives out', params: {} },
  not_a_country_code: { means: 'Not a two-letter country code such as NO', params: {} },
  not_a_time_zone: { means: 'Not a time zone name such as Europe/Oslo', params: {} },
  not_a_key: {
    means: 'Not lower-case letters, digits and _, starting with a letter',
    params: {},
  },
  pattern_mismatch: { means: 'Does not match the pattern', params: { pattern: 'string' } },
  control_character: {
    means: 'Contains a character no text may hold',
    params: { character: 'string' },
  },
  email_or_phone_required: { means: 'An email address or a mobile number is required', params: {} },
  already_used: { means: 'Another record of the account already has this value', params: {} },
  listed_twice: { means: 'The same item is listed twice', params: { item: 'string' } },
  same_as_primary: {
    means: "An additional email address or phone number is the customer's primary one",
    params: {},
  },
  unknown_reference: { means: 'No such record in the account', params: {} },
  merge_with_itself: { means: 'A record cannot be merged with itself (issue 15)', params: {} },
  out_of_scope: {
    means: "Not one of the organizations the agent's teams serve (issue 13)",
    params: {},
  },
  served_organization_required: {
    means: "Choose one of the organizations the agent's teams serve",
    params: {},
  },
  ticket_out_of_scope: {
    means: "The ticket would be outside what the agent's teams serve",
    params: {},
  },
  unknown_custom_field: { means: 'Not a custom field of this account', params: {} },
  public_domain: {
    means: 'A public mail or ignored domain cannot belong to an organization',
    params: { domain: 'string' },
  },
  domain_taken: { means: 'The domain belongs to another organization', params: {} },
  invalid_cursor: { means: 'Not a cursor this API gave out', params: {} },
  not_with_search: {
    means: 'Search results keep their own order and cannot be sorted',
    params: {},
  },
  invalid_version: { means: 'If-Match is not the record version, e.g. "3"', params: {} },
  invalid_regex: { means: 'Not a valid regular expression', params: {} },
  options_required: { means: 'A choice field needs at least one option', params: {} },
  options_not_unique: { means: 'The options must differ from each other', params: {} },
  pattern_required: { means: 'A regex field needs a pattern', params: {} },
  belongs_to_customer: { means: 'The email address belongs to an existing customer', params: {} },
  already_contact: { means: 'Already a contact of this organization', params: {} },
  not_a_contact: { means: 'Not a contact of the organization', params: {} },
  not_an_agent: { means: 'Not an agent of this account', params: {} },
  deactivated: { means: 'The chosen record is deactivated', params: {} },
  merge_self: { means: 'A customer cannot be merged with itself', params: {} },
  merge_location_elsewhere: {
    means: "The default location belongs to the other customer's organization",
    params: {},
  },
  no_organization: { means: 'The requester belongs to no organization', params: {} },
  not_of_organization: { means: "Not part of the ticket's or customer's organization", params: {} },
  not_of_location: { means: 'Not an area of the chosen location', params: {} },
  requester_twice: { means: 'Both requesterId and requester were sent', params: {} },
  assignee_required: { means: 'Choose an agent or a team', params: {} },
  one_member_required: { means: 'Give exactly one of customerId, agentId or email', params: {} },
  end_before_start: { means: 'The end date is before the start date', params: {} },
  hours_required: { means: 'Contract hours are required with an hour restriction', params: {} },
  threshold_over_hours: { means: 'The threshold is more than the contract hours', params: {} },
  only_with_restriction: { means: 'Only with an hour restriction', params: {} },
  contract_not_of_organization: {
    means: "Not a contract of the ticket's organization",
    params: {},
  },
  contract_inactive: { means: 'The contract is not active', params: {} },
  file_missing: { means: 'No file was sent', params: {} },
  file_empty: { means: 'The file or message is empty', params: {} },
  file_unreadable: { means: 'The file cannot be read as CSV', params: {} },
  csv_invalid_at: {
    means: 'The file is not valid CSV from the row named',
    params: { row: 'number' },
  },
  header_unreadable: {
    means: 'A cell of the header row cannot be read',
    params: { row: 'number', column: 'number' },
  },
  header_missing: { means: 'The file has no header row', params: {} },
  header_column_unnamed: {
    means: 'A column of the header row has no name',
    params: { column: 'number' },
  },
  mapping_invalid: { means: 'The column mapping cannot be used', params: {} },
  wrong_password: { means: 'Not the current password (Customer Hub)', params: {} },
  domain_not_allowed: {
    means: 'The Customer Hub takes registrations only from the domains it lists',
    params: {},
  },
  wrong_media_type: { means: 'The body is not of the content type the route reads', params: {} },
} as const satisfies Record<string, { means: string; params: Record<string, ParamKind> }>;

export type FieldErrorCode = keyof typeof FIELD_ERROR_CODES;
export const FIELD_ERROR_CODE_LIST = Object.keys(FIELD_ERROR_CODES) as [
  FieldErrorCode,
  ...FieldErrorCode[],
];

type ParamType<K> = K extends 'number' ? number : string;
export type FieldErrorParams<C extends FieldErrorCode> = {
  -readonly [P in keyof (typeof FIELD_ERROR_CODES)[C]['params']]: ParamType<
    (typeof FIELD_ERROR_CODES)[C]['params'][P]
  >;
};
/** No argument for a code without params; its params, typed, for one with. */
type ParamsArgument<C extends FieldErrorCode> = keyof FieldErrorParams<C> extends never
  ? []
  : [params: FieldErrorParams<C>];

export function isFieldErrorCode(code: unknown): code is FieldErrorCode {
  return typeof code === 'string' && Object.hasOwn(FIELD_ERROR_CODES, code);
}

/** The one way a field error is built: where, the code and its params, and the English text. */
export function fieldError<C extends FieldErrorCode>(
  field: string,
  code: C,
  message: string,
  ...params: ParamsArgument<C>
): FieldError {
  const [values] = params;
  return values ? { field, code, params: values, message } : { field, code, message };
}

/** Why a value is refused, before it is known which field held it (normalizers, cell readers). */
export interface Refusal {
  code: FieldErrorCode;
  params?: Record<string, string | number>;
  reason: string;
}

export function refusal<C extends FieldErrorCode>(
  code: C,
  reason: string,
  ...params: ParamsArgument<C>
): Refusal {
  const [values] = params;
  return values ? { code, params: values, reason } : { code, reason };
}

/** A refusal as the field error of the field that held the value. */
export function refusedField(field: string, refused: Refusal): FieldError {
  const { code, params, reason } = refused;
  return params ? { field, code, params, message: reason } : { field, code, message: reason };
}

// Schemas in common/ that refuse with a sentence of their own (a regex, a refinement) register it
// here with its code, so the HTTP edge can put the code beside it without reading English: zod
// keeps only the message of such a check.
const CODED_MESSAGES = new Map<string, Omit<Refusal, 'reason'>>();

export function codedMessage<C extends FieldErrorCode>(
  code: C,
  message: string,
  ...params: ParamsArgument<C>
): string {
  const [values] = params;
  const known = CODED_MESSAGES.get(message);
  if (known && known.code !== code)
    throw new Error(`"${message}" is registered as ${known.code}, not ${code}`);
  CODED_MESSAGES.set(message, values ? { code, params: values } : { code });
  return message;
}

export function codeOfMessage(message: string): Omit<Refusal, 'reason'> | undefined {
  return CODED_MESSAGES.get(message);
}
