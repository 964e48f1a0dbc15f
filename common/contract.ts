// Contracts of an organization and time logged on tickets (issue 12): the schemas the API
// validates and documents, the types the console uses, and the contract's own field rules
// (end not before start, threshold within the hours), pure so the server and a form agree.
import { z } from 'zod';
import { codedMessage, fieldError } from './field-error-codes.ts';
import type { FieldError } from './problem.ts';

/** YYYY-MM-DD and a real calendar day (no 2026-02-30). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, codedMessage('not_a_date', 'must be a date (YYYY-MM-DD)'))
  .refine(
    (value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
    },
    codedMessage('not_a_date', 'not a real date'),
  )
  .meta({ description: 'A day, YYYY-MM-DD' });

const hoursSchema = z
  .number('must be a number of hours')
  .positive('must be more than 0 hours')
  .max(100_000, 'must be at most 100000 hours');

export const contractSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    description: z.string(),
    purchaseOrderNumber: z.string().nullable(),
    customerContactId: z.string(),
    customerContactName: z.string(),
    supportContactId: z.string(),
    supportContactName: z.string(),
    supportManagerId: z.string().nullable(),
    supportManagerName: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    hasHourRestriction: z.boolean(),
    contractHours: z.number().nullable(),
    hoursNotificationThreshold: z.number().nullable(),
    hoursUsed: z.number(),
    hoursLeft: z.number().nullable().meta({ description: 'Null without an hour restriction' }),
    active: z.boolean().meta({ description: 'Today is within its start and end dates' }),
    thresholdNotified: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contract' });
export type Contract = z.infer<typeof contractSchema>;

const contractFields = {
  description: z.string().trim().min(1, 'a description is required').max(200),
  purchaseOrderNumber: z.string().trim().max(100).nullish(),
  customerContactId: z.uuid('a customer contact is required'),
  supportContactId: z.uuid('a support contact is required'),
  supportManagerId: z.uuid('not an agent id').nullish(),
  startDate: isoDateSchema.nullish(),
  endDate: isoDateSchema.nullish(),
  hasHourRestriction: z.boolean().optional(),
  contractHours: hoursSchema.nullish(),
  hoursNotificationThreshold: hoursSchema.nullish(),
};

export const contractCreateSchema = z
  .object(contractFields)
  .strict()
  .meta({ id: 'ContractCreate' });
export type ContractCreate = z.infer<typeof contractCreateSchema>;

export const contractUpdateSchema = z
  .object(contractFields)
  .partial()
  .strict()
  .meta({ id: 'ContractUpdate' });
export type ContractUpdate = z.infer<typeof contractUpdateSchema>;

/** The contract as it will be once written, for the rules between its fields. */
export interface ContractDraft {
  startDate: string | null;
  endDate: string | null;
  hasHourRestriction: boolean;
  contractHours: number | null;
  hoursNotificationThreshold: number | null;
}

export function contractRuleProblems(draft: ContractDraft): FieldError[] {
  const errors: FieldError[] = [];
  if (draft.startDate && draft.endDate && draft.endDate < draft.startDate)
    errors.push(fieldError('endDate', 'end_before_start', 'must not be before the start date'));
  if (draft.hasHourRestriction) {
    if (draft.contractHours === null)
      errors.push(
        fieldError(
          'contractHours',
          'hours_required',
          'contract hours are required with an hour restriction',
        ),
      );
    else if (
      draft.hoursNotificationThreshold !== null &&
      draft.hoursNotificationThreshold > draft.contractHours
    )
      errors.push(
        fieldError(
          'hoursNotificationThreshold',
          'threshold_over_hours',
          'must not be more than the contract hours',
        ),
      );
  } else {
    if (draft.contractHours !== null)
      errors.push(
        fieldError('contractHours', 'only_with_restriction', 'only with an hour restriction'),
      );
    if (draft.hoursNotificationThreshold !== null)
      errors.push(
        fieldError(
          'hoursNotificationThreshold',
          'only_with_restriction',
          'only with an hour restriction',
        ),
      );
  }
  return errors;
}

/**
 * Today in the account's time zone, YYYY-MM-DD: a contract's dates are the customer's calendar
 * days, so one ending on the 31st is still active at 00:30 on the 1st in UTC but 01:30 in Oslo.
 */
export function todayIn(timeZone: string, now = new Date()): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Whole minutes: hours are stored as minutes so that sums never drift. */
export function hoursToMinutes(hours: number): number {
  return Math.round(hours * 60);
}
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

export const timeEntrySchema = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    ticketNumber: z.number().int(),
    contractId: z.string().nullable(),
    agentId: z.string(),
    agentName: z.string(),
    minutes: z.number().int(),
    workDate: z.string(),
    note: z.string().nullable(),
    overLimitConfirmed: z.boolean().meta({
      description: 'The agent confirmed logging past the contract hours',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'TimeEntry' });
export type TimeEntry = z.infer<typeof timeEntrySchema>;

const entryFields = {
  minutes: z
    .number('must be a whole number of minutes')
    .int('must be a whole number of minutes')
    .min(1, 'must be from 1 to 1440 minutes')
    .max(1440, 'must be from 1 to 1440 minutes'),
  workDate: isoDateSchema,
  note: z.string().trim().max(2000).nullish(),
  agentId: z.uuid('not an agent id').optional().meta({
    description: 'Who did the work; the agent logging it when left out',
  }),
  confirmOverLimit: z.boolean().optional().meta({
    description:
      'Log it even though it takes the contract past its hours (otherwise 409 contract_hours_exceeded)',
  }),
};

export const timeEntryCreateSchema = z.object(entryFields).strict().meta({ id: 'TimeEntryCreate' });
export type TimeEntryCreate = z.infer<typeof timeEntryCreateSchema>;

export const timeEntryUpdateSchema = z
  .object(entryFields)
  .partial()
  .strict()
  .meta({ id: 'TimeEntryUpdate' });
export type TimeEntryUpdate = z.infer<typeof timeEntryUpdateSchema>;

export const contractSummarySchema = z
  .object({
    id: z.string(),
    description: z.string(),
    hasHourRestriction: z.boolean(),
    contractHours: z.number().nullable(),
    hoursUsed: z.number(),
    hoursLeft: z.number().nullable(),
  })
  .meta({ id: 'ContractSummary' });

export const ticketTimeSchema = z
  .object({
    items: z.array(timeEntrySchema),
    totalMinutes: z.number().int(),
    contract: contractSummarySchema.nullable(),
  })
  .meta({ id: 'TicketTime' });
export type TicketTime = z.infer<typeof ticketTimeSchema>;

export const timeEntryAuditSchema = z
  .object({
    id: z.string(),
    timeEntryId: z.string(),
    action: z.enum(['created', 'updated', 'deleted']),
    actorName: z.string(),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    createdAt: z.string(),
  })
  .meta({ id: 'TimeEntryAudit' });
export type TimeEntryAudit = z.infer<typeof timeEntryAuditSchema>;

export const contractTimeQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, codedMessage('not_a_month', 'must be a month (YYYY-MM)'))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
