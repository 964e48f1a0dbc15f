// Why Kunde suspects two customers are one person, as a sentence in the console's language: each
// DuplicateReason code has its sentence, filled in with what matched (the reason's detail, whose
// `first…`/`second…` and `holder` refer to the suggestion's two customers in order; common/merge.ts).
// Kept free of React so that a plain Node test (e2e/merge-wording.test.ts) checks every code in
// both languages.
import type { TFunction } from 'i18next';
import { customerDisplayName, type Customer } from '../../../common/customer.ts';
import type { DuplicateReason } from '../../../common/merge.ts';

export interface ReasonContext {
  /** The suggestion's two customers, in its order. */
  customers?: readonly [Customer, Customer] | readonly Customer[];
  /** Custom field labels by key, to name the field a phone was found in. */
  fieldLabels?: Map<string, string>;
  /** Writes a stored (E.164) number as the console shows phones (PhoneNumber.tsx). */
  formatPhone?: (stored: string) => string;
}

const ATTRIBUTE_PREFIX = 'customAttributes.';

function fieldName(field: string | undefined, context: ReasonContext): string {
  if (!field) return '';
  const key = field.startsWith(ATTRIBUTE_PREFIX) ? field.slice(ATTRIBUTE_PREFIX.length) : field;
  return context.fieldLabels?.get(key) ?? key;
}

/** "987 65 432 (Mobil)": what was written, and where when known. */
function written(value: string | undefined, field: string | undefined, context: ReasonContext) {
  const where = fieldName(field, context);
  return where ? `${value ?? ''} (${where})` : (value ?? '');
}

function customerName(
  customer: Customer | undefined,
  t: TFunction,
  context: ReasonContext,
): string {
  if (!customer) return '';
  return (
    customerDisplayName(customer, context.formatPhone) ||
    `#${customer.number}` ||
    t('customers.noName')
  );
}

/** Any other detail: its values in order, without repeats. */
function matchedValues(detail: Record<string, string>): string {
  return [...new Set(Object.values(detail).filter((value) => value.trim() !== ''))].join(' / ');
}

export function reasonSentence(
  reason: DuplicateReason,
  t: TFunction,
  context: ReasonContext = {},
): string {
  const d = reason.detail;
  switch (reason.code) {
    case 'same_phone':
      if (d.firstWritten === undefined || d.secondWritten === undefined) break;
      return t('duplicates.reasons.same_phone', {
        values: `${written(d.firstWritten, d.firstField, context)} / ${written(d.secondWritten, d.secondField, context)}`,
      });
    case 'email_subaddress':
      if (d.firstEmail === undefined || d.secondEmail === undefined) break;
      return t('duplicates.reasons.email_subaddress', {
        values: `${d.firstEmail} / ${d.secondEmail}`,
      });
    case 'same_name_same_organization': {
      if (d.name === undefined) break;
      const organization = context.customers?.[0]?.organizationName;
      return t('duplicates.reasons.same_name_same_organization', {
        values: organization ? `${d.name} (${organization})` : d.name,
      });
    }
    case 'phone_in_custom_field': {
      if (d.phone === undefined) break;
      const [first, second] = context.customers ?? [];
      const [holder, other] = d.holder === 'second' ? [second, first] : [first, second];
      if (!holder || !other) break;
      return t('duplicates.reasons.phone_in_custom_field_named', {
        holder: customerName(holder, t, context),
        other: customerName(other, t, context),
        phone: context.formatPhone ? context.formatPhone(d.phone) : d.phone,
        written: written(d.written, d.field, context),
      });
    }
  }
  // A detail of another shape (or no customers to name): the reason's words and what matched.
  return t(`duplicates.reasons.${reason.code}`, { values: matchedValues(d) });
}
