// CSV customer imports: options, status and progress, and the preview an agent checks first.
import { z } from 'zod';
import { ATTRIBUTE_PREFIX, BUILT_IN_COLUMNS, FIELD_PREFIX } from './import-columns.ts';

export const IMPORT_MODES = ['create', 'upsert'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const columnTargetSchema = z
  .string()
  .nullable()
  .meta({
    description: `${BUILT_IN_COLUMNS.join(', ')}, ${FIELD_PREFIX}<custom field key>, ${ATTRIBUTE_PREFIX}<name>, or null to skip the column`,
  });

export const importOptionsSchema = z
  .object({
    mode: z
      .enum(IMPORT_MODES)
      .default('create')
      .meta({ description: 'create only, or create and update (matched on email, then phone)' }),
    dryRun: z
      .boolean()
      .default(false)
      .meta({ description: 'Validate everything and write nothing' }),
    overwriteEmpty: z
      .boolean()
      .default(false)
      .meta({ description: 'Empty cells clear existing values' }),
    mapping: z
      .array(columnTargetSchema)
      .max(200)
      .optional()
      .meta({ description: 'One target per column; defaults to the recognised headers' }),
  })
  .strict()
  .meta({ id: 'ImportOptions' });
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const IMPORT_STATUSES = ['preview', 'queued', 'running', 'done', 'failed'] as const;

export const importRowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  value: z.string().nullable(),
  reason: z.string().meta({ description: 'Why, in English' }),
  code: z.string().optional().meta({
    description:
      'Stable code of the reason (an import reason or a field error code); translate by it. Absent where a reason has none yet',
  }),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .meta({ description: 'The values the reason names, by name' }),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const customerImportSchema = z
  .object({
    id: z.string(),
    status: z.enum(IMPORT_STATUSES),
    filename: z.string(),
    sizeBytes: z.number().int(),
    encoding: z.string(),
    delimiter: z.string(),
    header: z.array(z.string()),
    mapping: z.array(z.string().nullable()),
    mode: z.enum(IMPORT_MODES),
    dryRun: z.boolean(),
    overwriteEmpty: z.boolean(),
    totalRows: z
      .number()
      .int()
      .meta({ description: 'Data rows in the file (the header not counted)' }),
    processedRows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'CustomerImport' });
export type CustomerImport = z.infer<typeof customerImportSchema>;

export const encodingWarningSchema = z
  .object({
    encoding: z.literal('windows-1252'),
    firstInvalidRow: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Spreadsheet row (header = 1) of the first byte that is not UTF-8' }),
  })
  .meta({
    id: 'EncodingWarning',
    description:
      'The file is not UTF-8 and was read as Windows-1252: check the letters in the row named',
  });
export type EncodingWarning = z.infer<typeof encodingWarningSchema>;

/**
 * Issue 16: the preview runs the row checks, and the import's own decisions rolled back, on the
 * first rows of the file; the console scales them to the whole file and warns above 10% failed.
 */
export const importSampleSchema = z
  .object({
    rows: z.number().int().meta({ description: 'Data rows checked (the first of the file)' }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'ImportSample' });
export type ImportSample = z.infer<typeof importSampleSchema>;

/** Above this share of failed rows in the sample the console warns before an import. */
export const SAMPLE_FAILURE_WARNING = 0.1;

export const importPreviewSchema = z
  .object({
    import: customerImportSchema,
    encodingWarning: encodingWarningSchema.nullable(),
    columns: z.array(
      z.object({
        header: z.string(),
        target: z.string().nullable(),
        samples: z.array(z.string()),
        recognised: z.boolean(),
      }),
    ),
    unknownColumns: z.array(z.string()).meta({
      description: 'Headers Kunde did not recognise (kept as free-form attributes unless skipped)',
    }),
    keptAsAttribute: z.array(z.string()).meta({
      description: 'Unrecognised headers whose column is kept as the attribute of the same name',
    }),
    sample: importSampleSchema,
    problems: z
      .array(importRowErrorSchema)
      .meta({ description: 'The first problems found in the first rows' }),
    targets: z.array(
      z.object({
        value: z.string(),
        label: z.string(),
        labelNb: z
          .string()
          .nullable()
          .optional()
          .meta({ description: "A custom field's Norwegian label, where it has one" }),
      }),
    ),
  })
  .meta({ id: 'ImportPreview' });
export type ImportPreview = z.infer<typeof importPreviewSchema>;
