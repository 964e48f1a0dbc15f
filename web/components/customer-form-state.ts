// The customer form's state and the request bodies built from it: text fields, organization and
// type pickers, the account's custom fields, and free-form attribute rows for every other key.
import type { CustomField } from '../../common/custom-field.ts';
import type {
  CustomAttributes,
  Customer,
  CustomerCreate,
  CustomerUpdate,
} from '../../common/customer.ts';
import {
  attributesFromRows,
  rowsFromAttributes,
  type AttributeRow,
} from './CustomAttributesEditor.tsx';
import { filledValues, type FieldValues } from './CustomFieldInputs.tsx';
import { NO_ORGANIZATION } from './OrganizationSelect.tsx';

export type TextField = 'firstName' | 'lastName' | 'email' | 'phone';
export const TEXT_FIELDS: TextField[] = ['firstName', 'lastName', 'email', 'phone'];

/** The customer's addresses and numbers besides the primary ones, each sent as the whole set. */
export type IdentityListField = 'additionalEmails' | 'additionalPhones';
export const IDENTITY_LIST_FIELDS: IdentityListField[] = ['additionalEmails', 'additionalPhones'];

export interface CustomerFormState {
  text: Record<TextField, string>;
  lists: Record<IdentityListField, string[]>;
  /** An organization id, NO_ORGANIZATION, or null: on a new customer, "match by email domain". */
  organization: string | null;
  typeId: string | null;
  fields: FieldValues;
  rows: AttributeRow[];
  /** The Customer Hub access switch (shown only while the account's Hub is on). */
  hubAccess: boolean;
}

export function initialFormState(fields: CustomField[], customer?: Customer): CustomerFormState {
  const defined = new Set(fields.map((field) => field.key));
  const attributes = customer?.customAttributes ?? {};
  const fieldValues: FieldValues = {};
  const freeform: CustomAttributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (defined.has(key)) fieldValues[key] = value;
    else freeform[key] = value;
  }
  return {
    text: {
      firstName: customer?.firstName ?? '',
      lastName: customer?.lastName ?? '',
      email: customer?.email ?? '',
      phone: customer?.phone ?? '',
    },
    lists: {
      additionalEmails: customer?.additionalEmails ?? [],
      additionalPhones: customer?.additionalPhones ?? [],
    },
    organization: customer ? (customer.organizationId ?? NO_ORGANIZATION) : null,
    typeId: customer?.typeId ?? null,
    fields: fieldValues,
    rows: rowsFromAttributes(freeform),
    hubAccess: customer?.hubAccess ?? true,
  };
}

function attributesOf(state: CustomerFormState): CustomAttributes {
  return { ...attributesFromRows(state.rows), ...filledValues(state.fields) };
}

/** Order-insensitive comparison of two attribute sets. */
function sameAttributes(a: CustomAttributes, b: CustomAttributes): boolean {
  const keysA = Object.keys(a);
  return (
    keysA.length === Object.keys(b).length &&
    keysA.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]))
  );
}

const listOf = (values: string[]) => values.map((value) => value.trim()).filter(Boolean);

const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

const organizationIdOf = (organization: string) =>
  organization === NO_ORGANIZATION ? null : organization;

export function createBody(state: CustomerFormState): CustomerCreate {
  const body: CustomerCreate = { customAttributes: attributesOf(state) };
  for (const field of TEXT_FIELDS) {
    const value = state.text[field].trim();
    if (value) body[field] = value;
  }
  for (const field of IDENTITY_LIST_FIELDS) {
    const values = listOf(state.lists[field]);
    if (values.length > 0) body[field] = values;
  }
  // Left out, the server finds the organization by the email's domain.
  if (state.organization) body.organizationId = organizationIdOf(state.organization);
  if (state.typeId) body.typeId = state.typeId;
  // On is the server's default: only "off" is sent.
  if (!state.hubAccess) body.hubAccess = false;
  return body;
}

/** Only what changed, with the version it started from; just `{version}` when nothing did. */
export function updateBody(state: CustomerFormState, customer: Customer): CustomerUpdate {
  const body: CustomerUpdate = { version: customer.version };
  for (const field of TEXT_FIELDS) {
    const value = state.text[field].trim();
    if (value !== (customer[field] ?? '')) body[field] = value || null;
  }
  for (const field of IDENTITY_LIST_FIELDS) {
    const values = listOf(state.lists[field]);
    if (!sameList(values, customer[field])) body[field] = values;
  }
  const organizationId = organizationIdOf(state.organization ?? NO_ORGANIZATION);
  if (organizationId !== customer.organizationId) body.organizationId = organizationId;
  if (state.typeId !== customer.typeId) body.typeId = state.typeId;
  if (state.hubAccess !== customer.hubAccess) body.hubAccess = state.hubAccess;
  const attributes = attributesOf(state);
  if (!sameAttributes(attributes, customer.customAttributes)) body.customAttributes = attributes;
  return body;
}
