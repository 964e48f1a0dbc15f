// Custom fields an account defines for customers and organizations, and customer types.
import { z } from 'zod';
import { codedMessage } from './field-error-codes.ts';

export const CUSTOM_FIELD_TYPES = [
  'text',
  'multiline',
  'number',
  'decimal',
  'date',
  'checkbox',
  'dropdown',
  'multiselect',
  'email',
  'url',
  'phone',
  'regex',
] as const;
export const customFieldTypeSchema = z.enum(CUSTOM_FIELD_TYPES);
export type CustomFieldType = z.infer<typeof customFieldTypeSchema>;

export const CUSTOM_FIELD_ENTITIES = ['customer', 'organization'] as const;

export const customFieldValueSchema = z.union([
  z.string().max(10_000),
  z.number().finite(),
  z.boolean(),
  z.array(z.string().max(200)).max(100),
  z.null(),
]);
export type CustomFieldValue = z.infer<typeof customFieldValueSchema>;

export const customFieldValuesSchema = z
  .record(z.string().trim().min(1).max(64), customFieldValueSchema)
  .meta({ description: 'Values by custom field key' });
export type CustomFieldValues = z.infer<typeof customFieldValuesSchema>;

const keySchema = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9_]{0,62}$/,
    codedMessage('not_a_key', 'lower-case letters, digits and _, starting with a letter'),
  );

export const customFieldSchema = z
  .object({
    id: z.string(),
    entity: z.enum(CUSTOM_FIELD_ENTITIES),
    key: z.string(),
    label: z.string(),
    labelNb: z.string().nullable(),
    type: customFieldTypeSchema,
    required: z.boolean(),
    options: z.array(z.string()),
    pattern: z.string().nullable(),
    position: z.number().int(),
  })
  .meta({ id: 'CustomField' });
export type CustomField = z.infer<typeof customFieldSchema>;

export const customFieldCreateSchema = z
  .object({
    entity: z.enum(CUSTOM_FIELD_ENTITIES),
    key: keySchema,
    label: z.string().trim().min(1).max(100),
    labelNb: z.string().trim().max(100).nullish(),
    type: customFieldTypeSchema,
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
    pattern: z
      .string()
      .max(500)
      .nullish()
      .meta({ description: 'For type regex: the pattern values must match' }),
    position: z.number().int().min(0).optional(),
  })
  .strict()
  .meta({ id: 'CustomFieldCreate' });
export type CustomFieldCreate = z.infer<typeof customFieldCreateSchema>;

export const customFieldUpdateSchema = z
  .object({
    label: z.string().trim().min(1).max(100),
    labelNb: z.string().trim().max(100).nullable(),
    required: z.boolean(),
    options: z.array(z.string().trim().min(1).max(200)).max(200),
    pattern: z.string().max(500).nullable(),
    position: z.number().int().min(0),
  })
  .partial()
  .strict()
  .meta({ id: 'CustomFieldUpdate' });
export type CustomFieldUpdate = z.infer<typeof customFieldUpdateSchema>;

export const customerTypeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    position: z.number().int(),
    customerCount: z.number().int(),
  })
  .meta({ id: 'CustomerType' });
export type CustomerType = z.infer<typeof customerTypeSchema>;

export const customerTypeCreateSchema = z
  .object({ name: z.string().trim().min(1).max(100), position: z.number().int().min(0).optional() })
  .strict()
  .meta({ id: 'CustomerTypeCreate' });

export const customerTypeUpdateSchema = customerTypeCreateSchema
  .partial()
  .meta({ id: 'CustomerTypeUpdate' });

/** Built-in customer properties the detail panel can show. */
export const PANEL_PROPERTIES = [
  'number',
  'firstName',
  'lastName',
  'email',
  'phone',
  'organization',
  'type',
  'status',
  'createdVia',
  'createdAt',
  'customAttributes',
] as const;

export const panelItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('property'), key: z.enum(PANEL_PROPERTIES) }),
  z.object({ kind: z.literal('field'), key: z.string() }),
]);
export type PanelItem = z.infer<typeof panelItemSchema>;

export const customerPanelSchema = z
  .object({ items: z.array(panelItemSchema).max(200) })
  .strict()
  .meta({ id: 'CustomerPanel' });
export type CustomerPanel = z.infer<typeof customerPanelSchema>;

export const DEFAULT_PANEL: PanelItem[] = [
  { kind: 'property', key: 'number' },
  { kind: 'property', key: 'email' },
  { kind: 'property', key: 'phone' },
  { kind: 'property', key: 'organization' },
  { kind: 'property', key: 'type' },
  { kind: 'property', key: 'customAttributes' },
  { kind: 'property', key: 'createdVia' },
  { kind: 'property', key: 'createdAt' },
];
