// Validates custom field values against the account's definitions: one set of rules for the
// API, the console and the CSV import (which hands in strings, so strings are read leniently).
import type { CustomField, CustomFieldValue } from '../../common/custom-field.ts';
import { fieldError, refusal, refusedField, type Refusal } from '../../common/field-error-codes.ts';
import type { FieldError } from '../../common/problem.ts';
import { normalizeEmail, normalizePhone } from '../customers/identity.ts';

export type Value = string | number | boolean | string[];
export type ValueResult = { ok: true; value: Value | null } | ({ ok: false } & Refusal);

const TRUE = new Set(['true', 'yes', 'ja', 'y', '1', 'x']);
const FALSE = new Set(['false', 'no', 'nei', 'n', '0', '']);

function isEmpty(value: CustomFieldValue | undefined): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

function matchOption(options: string[], value: string): string | undefined {
  const wanted = value.trim().toLowerCase();
  return options.find((o) => o.toLowerCase() === wanted);
}

/** One value for one field; null means "no value". */
export function validateFieldValue(
  field: CustomField,
  value: CustomFieldValue,
  phoneCountry: string,
): ValueResult {
  if (isEmpty(value)) return { ok: true, value: null };
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (field.type) {
    case 'text':
    case 'multiline': {
      if (typeof value !== 'string') return { ok: false, ...refusal('not_text', 'must be text') };
      const limit = field.type === 'text' ? 1000 : 10_000;
      return value.length > limit
        ? { ok: false, ...refusal('too_long', `at most ${limit} characters`, { max: limit }) }
        : { ok: true, value };
    }
    case 'number':
    case 'decimal': {
      const n =
        typeof value === 'number'
          ? value
          : text !== undefined
            ? Number(text.replace(',', '.').replace(/\s/g, ''))
            : NaN;
      if (!Number.isFinite(n)) return { ok: false, ...refusal('not_a_number', 'must be a number') };
      if (field.type === 'number' && !Number.isInteger(n))
        return { ok: false, ...refusal('not_an_integer', 'must be a whole number') };
      return { ok: true, value: n };
    }
    case 'date': {
      if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text))
        return { ok: false, ...refusal('not_a_date', 'must be a date as YYYY-MM-DD') };
      const date = new Date(`${text}T00:00:00Z`);
      return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text
        ? { ok: false, ...refusal('not_a_date', 'not a real date') }
        : { ok: true, value: text };
    }
    case 'checkbox': {
      if (typeof value === 'boolean') return { ok: true, value };
      const key = String(value).trim().toLowerCase();
      if (TRUE.has(key)) return { ok: true, value: true };
      if (FALSE.has(key)) return { ok: true, value: false };
      return { ok: false, ...refusal('not_a_boolean', 'must be true or false') };
    }
    case 'dropdown': {
      const options = field.options.join(', ');
      const notAnOption = {
        ok: false as const,
        ...refusal('invalid_option', `must be one of: ${options}`, { options }),
      };
      if (text === undefined) return notAnOption;
      const option = matchOption(field.options, text);
      return option ? { ok: true, value: option } : notAnOption;
    }
    case 'multiselect': {
      const items = Array.isArray(value)
        ? value
        : text !== undefined
          ? text
              .split(/[;,|]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      if (!items) return { ok: false, ...refusal('not_a_list', 'must be a list of options') };
      const chosen: string[] = [];
      for (const item of items) {
        const option = matchOption(field.options, item);
        if (!option)
          return {
            ok: false,
            ...refusal('not_one_of', `"${item}" is not one of: ${field.options.join(', ')}`, {
              value: item,
              options: field.options.join(', '),
            }),
          };
        if (!chosen.includes(option)) chosen.push(option);
      }
      return { ok: true, value: chosen };
    }
    case 'email': {
      if (text === undefined)
        return { ok: false, ...refusal('not_an_email', 'must be an email address') };
      const email = normalizeEmail(text);
      return email;
    }
    case 'url': {
      if (text === undefined) return { ok: false, ...refusal('not_a_url', 'must be a URL') };
      try {
        const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
        if (!url.hostname.includes('.')) throw new Error('host');
        return { ok: true, value: url.toString() };
      } catch {
        return { ok: false, ...refusal('not_a_url', 'not a web address (http or https)') };
      }
    }
    case 'phone': {
      if (text === undefined)
        return { ok: false, ...refusal('not_a_phone', 'must be a phone number') };
      const phone = normalizePhone(text, phoneCountry);
      return phone;
    }
    case 'regex': {
      if (typeof value !== 'string') return { ok: false, ...refusal('not_text', 'must be text') };
      if (value.length > 1000)
        return { ok: false, ...refusal('too_long', 'at most 1000 characters', { max: 1000 }) };
      const pattern = new RegExp(`^(?:${field.pattern ?? '.*'})$`, 'u');
      return pattern.test(value)
        ? { ok: true, value }
        : {
            ok: false,
            ...refusal('pattern_mismatch', `does not match the pattern ${field.pattern ?? ''}`, {
              pattern: field.pattern ?? '',
            }),
          };
    }
  }
}

export interface ValidateOptions {
  /** Field errors are reported as `${prefix}.${key}`. */
  prefix: string;
  allowFreeform: boolean;
  phoneCountry: string;
  /** Required fields must be present (creating, or replacing the whole set). */
  checkRequired: boolean;
}

/** Validates a whole set of values; returns the cleaned values or the errors, field by field. */
export function validateFieldValues(
  fields: CustomField[],
  values: Record<string, CustomFieldValue>,
  options: ValidateOptions,
): { values: Record<string, Value>; errors: FieldError[] } {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const clean: Record<string, Value> = {};
  const errors: FieldError[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const field = byKey.get(key);
    if (!field) {
      if (!options.allowFreeform) {
        errors.push(
          fieldError(
            `${options.prefix}.${key}`,
            'unknown_custom_field',
            'not a custom field of this account',
          ),
        );
      } else if (raw !== null && raw !== '' && !Array.isArray(raw)) {
        clean[key] = raw;
      }
      continue;
    }
    const result = validateFieldValue(field, raw, options.phoneCountry);
    if (!result.ok) errors.push(refusedField(`${options.prefix}.${key}`, result));
    else if (result.value !== null) clean[key] = result.value;
  }
  if (options.checkRequired) {
    for (const field of fields) {
      if (
        field.required &&
        clean[field.key] === undefined &&
        !errors.some((e) => e.field === `${options.prefix}.${field.key}`)
      ) {
        errors.push(
          fieldError(`${options.prefix}.${field.key}`, 'required', `${field.label} is required`),
        );
      }
    }
  }
  return { values: clean, errors };
}
