// What the merge preview shows per field: its label (the audit trail's words, or the custom
// field's label) and a value as text (an organization's or type's name rather than its id). Pure
// functions of the preview (no React, so e2e/merge-wording.test.ts runs them in Node), which keep
// the dialog and its columns small.
import type { TFunction } from 'i18next';
import { CUSTOMER_MERGE_FIELDS, type CustomerMergeField } from '../../../common/merge.ts';
import type { Customer } from '../../../common/customer.ts';

const ATTRIBUTE_PREFIX = 'customAttributes.';

/** Lookups the page has: custom field labels, customer type and location names by id. */
export interface MergeNames {
  fieldLabels: Map<string, string>;
  typeNames: Map<string, string>;
  locationNames: Map<string, string>;
}

export function isMergeField(field: string): field is CustomerMergeField {
  return (CUSTOMER_MERGE_FIELDS as readonly string[]).includes(field);
}

export function mergeFieldLabel(field: string, t: TFunction, names: MergeNames): string {
  if (field.startsWith(ATTRIBUTE_PREFIX)) {
    const key = field.slice(ATTRIBUTE_PREFIX.length);
    return names.fieldLabels.get(key) ?? key;
  }
  if (!isMergeField(field)) return field;
  // The audit trail already names these fields in both languages.
  return t(`audit.fields.${field === 'defaultLocationId' ? 'defaultLocation' : field}`);
}

/** A customer's value for a merge field or custom attribute, as the raw value. */
export function mergeFieldValue(customer: Customer, field: string): unknown {
  if (field.startsWith(ATTRIBUTE_PREFIX)) {
    return customer.customAttributes[field.slice(ATTRIBUTE_PREFIX.length)];
  }
  return isMergeField(field) ? customer[field] : undefined;
}

/** The value as a person reads it; the owner (survivor or duplicate) names its organization. */
export function formatMergeValue(
  field: string,
  value: unknown,
  owner: Customer | undefined,
  t: TFunction,
  names: MergeNames,
): string {
  if (value === null || value === undefined || value === '') return t('app.emptyValue');
  if (typeof value === 'boolean') return value ? t('fields.yes') : t('fields.no');
  if (typeof value === 'string') {
    if (field === 'organizationId') {
      return owner?.organizationId === value && owner.organizationName
        ? owner.organizationName
        : value;
    }
    if (field === 'typeId') return names.typeNames.get(value) ?? value;
    if (field === 'defaultLocationId') return names.locationNames.get(value) ?? value;
    return value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(String).join(', ') || t('app.emptyValue');
  return JSON.stringify(value);
}

/** Every email address or every phone of the customer, the primary first. */
export function identitiesOf(customer: Customer, kind: 'email' | 'phone'): string[] {
  const primary = kind === 'email' ? customer.email : customer.phone;
  const additional = kind === 'email' ? customer.additionalEmails : customer.additionalPhones;
  return [...(primary ? [primary] : []), ...additional];
}

/** The fields shown side by side: the merge fields, then every custom attribute either has. */
export function previewFields(survivor: Customer, duplicate: Customer): string[] {
  const attributes = new Set([
    ...Object.keys(survivor.customAttributes),
    ...Object.keys(duplicate.customAttributes),
  ]);
  return [
    ...CUSTOMER_MERGE_FIELDS.filter(
      (field) => field !== 'hubAccess' || survivor.hubAccess !== duplicate.hubAccess,
    ),
    ...[...attributes].sort().map((key) => `${ATTRIBUTE_PREFIX}${key}`),
  ];
}
