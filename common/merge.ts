// Merging duplicates (issue 15): two customers or two organizations become one, previewed first
// (the same request with ?dryRun=true) and undoable for a while; and the pairs of customers Kunde
// suspects are one person (duplicate suggestions), with the reason for each.
//
// Words: the *survivor* is the customer (or organization) in the URL and stays; the *duplicate*
// (`duplicateId`) is merged into it and from then on answers with `mergedInto` pointing at the
// survivor. Where the two differ the request says whose value the survivor keeps, per field.
import { z } from 'zod';
import { customerSchema } from './customer.ts';
import { organizationSchema } from './organization.ts';
import { pageQuerySchema } from './paging.ts';

/** Days a merge can be undone, unless the account says otherwise (settings.mergeUndoDays). */
export const DEFAULT_MERGE_UNDO_DAYS = 30;
export const MAX_MERGE_UNDO_DAYS = 365;

/** The customer fields where the two may differ and the request picks a side. */
export const CUSTOMER_MERGE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'organizationId',
  'typeId',
  'defaultLocationId',
  'hubAccess',
] as const;
export type CustomerMergeField = (typeof CUSTOMER_MERGE_FIELDS)[number];

export const mergeSideSchema = z.enum(['survivor', 'duplicate']);
export type MergeSide = z.infer<typeof mergeSideSchema>;

export const customerMergeRequestSchema = z
  .object({
    duplicateId: z
      .string()
      .uuid('not a customer id')
      .meta({ description: 'The customer merged into the one in the URL (it stops existing)' }),
    keep: z
      .record(z.string(), mergeSideSchema)
      .default({})
      .meta({
        description:
          'Whose value the survivor keeps where the two differ: a field of ' +
          `${CUSTOMER_MERGE_FIELDS.join(', ')} or \`customAttributes.<name>\` → survivor or ` +
          'duplicate. A field left out keeps the survivor’s value, or the duplicate’s when the ' +
          'survivor has none. Email addresses and phones are never lost: the one not kept as ' +
          'primary stays an additional one.',
      }),
  })
  .strict()
  .meta({ id: 'CustomerMergeRequest' });
export type CustomerMergeRequest = z.infer<typeof customerMergeRequestSchema>;

export const mergeDryRunQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description: 'true: answer with the preview and change nothing' }),
});

/** One field where the two differ, and the value the survivor ends up with. */
export const mergeConflictSchema = z.object({
  field: z.string().meta({ description: 'A merge field or customAttributes.<name>' }),
  survivor: z.unknown(),
  duplicate: z.unknown(),
  kept: mergeSideSchema,
});
export type MergeConflict = z.infer<typeof mergeConflictSchema>;

/** What a customer merge moves from the duplicate to the survivor, counted. */
export const customerMergeCountsSchema = z
  .object({
    tickets: z.number().int(),
    messages: z.number().int(),
    identities: z.number().int().meta({ description: 'Email addresses and phones' }),
    auditEntries: z.number().int(),
    other: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Everything else that moves, by kind (contacts, grants, …)' }),
  })
  .meta({ id: 'CustomerMergeCounts' });
export type CustomerMergeCounts = z.infer<typeof customerMergeCountsSchema>;

const actorSchema = z.object({
  type: z.enum(['user', 'token', 'system']),
  id: z.string().nullable(),
  name: z.string(),
});

export const mergeRecordSchema = z
  .object({
    id: z.string(),
    survivorId: z.string(),
    duplicateId: z.string(),
    actor: actorSchema,
    createdAt: z.string(),
    undoUntil: z.string(),
    undoneAt: z.string().nullable(),
    undoneBy: z.string().nullable(),
    /** Why an undo would be refused now; null while it can be undone. */
    undoBlockedBy: z
      .enum(['expired', 'undone', 'erased', 'changed_since'])
      .nullable()
      .meta({ description: 'Why undo is refused now (null: it can be undone)' }),
  })
  .meta({ id: 'MergeRecord' });
export type MergeRecord = z.infer<typeof mergeRecordSchema>;

export const customerMergePreviewSchema = z
  .object({
    survivor: customerSchema,
    duplicate: customerSchema,
    /** The survivor as it would be after the merge. */
    result: customerSchema,
    conflicts: z.array(mergeConflictSchema),
    moves: customerMergeCountsSchema,
    undoUntil: z.string(),
  })
  .meta({ id: 'CustomerMergePreview' });
export type CustomerMergePreview = z.infer<typeof customerMergePreviewSchema>;

export const customerMergeResultSchema = z
  .object({
    merge: mergeRecordSchema,
    customer: customerSchema,
    moved: customerMergeCountsSchema,
  })
  .meta({ id: 'CustomerMergeResult' });
export type CustomerMergeResult = z.infer<typeof customerMergeResultSchema>;

export const customerMergeUndoResultSchema = z
  .object({
    merge: mergeRecordSchema,
    survivor: customerSchema,
    restored: customerSchema,
  })
  .meta({ id: 'CustomerMergeUndoResult' });

// Organizations: the same shape. Domains, customers, contacts, locations, contracts, routing
// rules and the rest move to the survivor; name, notes and custom fields are chosen per field.
export const ORGANIZATION_MERGE_FIELDS = ['name', 'notes'] as const;

export const organizationMergeRequestSchema = z
  .object({
    duplicateId: z.string().uuid('not an organization id'),
    keep: z
      .record(z.string(), mergeSideSchema)
      .default({})
      .meta({
        description:
          `Whose value the survivor keeps: ${ORGANIZATION_MERGE_FIELDS.join(', ')} or ` +
          '`customFields.<key>` → survivor or duplicate (default: the survivor’s, or the ' +
          'duplicate’s when the survivor has none)',
      }),
  })
  .strict()
  .meta({ id: 'OrganizationMergeRequest' });
export type OrganizationMergeRequest = z.infer<typeof organizationMergeRequestSchema>;

export const organizationMergeCountsSchema = z.record(z.string(), z.number().int()).meta({
  id: 'OrganizationMergeCounts',
  description: 'What moves, by kind: domains, customers, contacts, locations, contracts, …',
});

export const organizationMergePreviewSchema = z
  .object({
    survivor: organizationSchema,
    duplicate: organizationSchema,
    result: organizationSchema,
    conflicts: z.array(mergeConflictSchema),
    moves: organizationMergeCountsSchema,
    undoUntil: z.string(),
  })
  .meta({ id: 'OrganizationMergePreview' });

export const organizationMergeResultSchema = z
  .object({
    merge: mergeRecordSchema,
    organization: organizationSchema,
    moved: organizationMergeCountsSchema,
  })
  .meta({ id: 'OrganizationMergeResult' });

export const organizationMergeUndoResultSchema = z
  .object({
    merge: mergeRecordSchema,
    survivor: organizationSchema,
    restored: organizationSchema,
  })
  .meta({ id: 'OrganizationMergeUndoResult' });

// Duplicate suggestions. One match gives one reason (server/duplicates/duplicate-keys.ts); in
// `detail`, `first…`/`second…` and `holder` ('first' | 'second') refer to the suggestion's
// `customers` in order.
export const DUPLICATE_REASONS = [
  /**
   * Neither has the number as a phone, but both have it in their custom attributes, written
   * differently maybe. Detail: phone (E.164), firstField, firstWritten, secondField, secondWritten.
   */
  'same_phone',
  /** The same first and last name (case and diacritics folded) in the same organization. Detail: name. */
  'same_name_same_organization',
  /** `ola+support@x.no` and `ola@x.no` (or `ola+a@` and `ola+b@`). Detail: firstEmail, secondEmail. */
  'email_subaddress',
  /**
   * One's phone (as an SMS customer has) is written, in any format, in a custom attribute of the
   * other. Detail: phone (E.164), holder (whose phone it is), field and written (the other's).
   */
  'phone_in_custom_field',
] as const;
export const duplicateReasonCodeSchema = z.enum(DUPLICATE_REASONS);

export const duplicateReasonSchema = z
  .object({
    code: duplicateReasonCodeSchema,
    detail: z
      .record(z.string(), z.string())
      .meta({ description: 'What matched, for the sentence: value, field, …' }),
  })
  .meta({ id: 'DuplicateReason' });
export type DuplicateReason = z.infer<typeof duplicateReasonSchema>;

export const duplicateSuggestionSchema = z
  .object({
    id: z.string(),
    customers: z.tuple([customerSchema, customerSchema]),
    reasons: z.array(duplicateReasonSchema),
    createdAt: z.string(),
  })
  .meta({ id: 'DuplicateSuggestion' });
export type DuplicateSuggestion = z.infer<typeof duplicateSuggestionSchema>;

export const duplicateListQuerySchema = pageQuerySchema.extend({
  customerId: z
    .string()
    .uuid('not a customer id')
    .optional()
    .meta({ description: 'Only the suggestions with this customer (its page shows them)' }),
});

export const duplicateCountSchema = z
  .object({
    count: z.number().int(),
    capped: z
      .boolean()
      .optional()
      .meta({ description: 'Present and true when counting stopped: there are more than `count`' }),
  })
  .meta({ id: 'DuplicateCount' });
