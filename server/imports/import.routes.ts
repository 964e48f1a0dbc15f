// /api/v1/customer-imports and /api/v1/customers/export.csv.
import { fieldError } from '../../common/field-error-codes.ts';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerExportSelectionSchema } from '../../common/customer-bulk.ts';
import { customerListQuerySchema } from '../../common/customer.ts';
import {
  csvFormatQuerySchema,
  resolveCsvFormat,
  type CsvFormatQuery,
} from '../../common/csv-format.ts';
import { findTextViolations } from '../../common/text.ts';
import {
  customerImportSchema,
  importOptionsSchema,
  importPreviewSchema,
} from '../../common/customer-import.ts';
import { pageSchema } from '../../common/paging.ts';
import type { Principal } from '../agents/principal.ts';
import type { Services } from '../services.ts';
import { idParams } from '../http/common-schemas.ts';
import { ValidationError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import { exportCustomersCsv, templateCsv } from './export.ts';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const uploadQuery = z.object({
  mode: z
    .enum(['create', 'upsert'])
    .optional()
    .meta({ description: 'create (default) or upsert: create and update' }),
  dryRun: flag.meta({ description: 'Validate everything, write nothing' }),
  overwriteEmpty: flag,
  start: flag.meta({ description: 'Start right away instead of waiting for a preview' }),
  filename: z.string().max(255).optional().meta({ description: 'For raw text/csv uploads' }),
});

async function uploadBody(request: FastifyRequest): Promise<{ filename: string; body: Readable }> {
  if (request.isMultipart()) {
    const file = await request.file();
    if (!file)
      throw new ValidationError([
        fieldError('file', 'file_missing', 'send the CSV file in the form field "file"'),
      ]);
    // The part's filename is client text like any JSON field (and is stored): the same policy.
    const [problem] = findTextViolations({ filename: file.filename });
    if (problem) {
      file.file.resume();
      throw new ValidationError([problem]);
    }
    return { filename: file.filename, body: file.file };
  }
  if (request.body instanceof Readable) return { filename: 'upload.csv', body: request.body };
  throw new ValidationError([
    fieldError('file', 'wrong_media_type', 'send the file as multipart/form-data or text/csv'),
  ]);
}

export function importRoutes(services: Services) {
  const tags = ['Customer imports'];
  const { imports } = services;

  /** The customer CSV (the list's filter or a selection), as a dated download. */
  function sendCustomersCsv(
    reply: FastifyReply,
    principal: Principal,
    source: Parameters<typeof exportCustomersCsv>[2],
    format: CsvFormatQuery,
  ) {
    const lines = exportCustomersCsv(
      {
        db: services.db.kysely,
        dialect: services.db.dialect,
        customers: services.customers,
        customFields: services.customFields,
      },
      principal,
      source,
      resolveCsvFormat(format, principal.locale),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'Content-Disposition',
        `attachment; filename="customers-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .send(Readable.from(lines));
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-imports/template.csv',
      summary: 'Download the CSV template',
      description: "The built-in columns, the account's custom fields and an example row.",
      tags,
      auth: 'customers.import',
      query: csvFormatQuerySchema,
      response: {
        status: 200,
        description: 'The template (UTF-8 with BOM)',
        contentType: 'text/csv',
        schema: z.string(),
      },
      handler: async ({ principal, query, reply }) => {
        const types = await services.customerTypes.list(principal.accountId);
        const csv = await templateCsv(
          services.customFields,
          principal.accountId,
          types[0]?.name,
          resolveCsvFormat(query, principal.locale),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="customers-template.csv"')
          .send(csv);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customer-imports',
      summary: 'Upload a CSV file to import',
      description:
        'multipart/form-data with the file in `file`, or the raw file as `text/csv`. UTF-8 (with or ' +
        'without BOM), UTF-16 with BOM or Windows-1252; comma, semicolon or tab. Answers the preview; ' +
        'start it with `POST …/{id}/start`, or pass `start=true`. Sending the same `Idempotency-Key`, ' +
        'or the same file within 10 minutes, answers the first import again (200) instead of importing twice.',
      tags,
      auth: 'customers.import',
      query: uploadQuery,
      headers: [
        {
          name: 'Idempotency-Key',
          description: 'Any unique string; a repeat answers the first import',
        },
      ],
      response: {
        status: 201,
        description: 'The import and its preview',
        schema: importPreviewSchema,
      },
      errors: [413],
      handler: async ({ principal, query, request, reply }) => {
        const { filename, body } = await uploadBody(request);
        const key = request.headers['idempotency-key'];
        const options = importOptionsSchema.parse({
          mode: query.mode,
          dryRun: query.dryRun,
          overwriteEmpty: query.overwriteEmpty,
        });
        const result = await imports.upload(principal, {
          filename: query.filename ?? filename,
          body,
          idempotencyKey: typeof key === 'string' && key ? key.slice(0, 200) : undefined,
          options,
          start: query.start,
        });
        if (result.replayed) void reply.status(200);
        else void reply.status(201);
        void reply.header('Location', `/api/v1/customer-imports/${result.import.id}`);
        return reply.send(await imports.preview(principal, result.import.id));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-imports',
      summary: 'Recent imports',
      tags,
      auth: 'customers.import',
      response: {
        status: 200,
        description: 'The last 50 imports',
        schema: pageSchema(customerImportSchema),
      },
      handler: async ({ principal }) => {
        const items = await imports.list(principal);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-imports/:id',
      summary: 'Status, progress and summary of an import',
      tags,
      auth: 'customers.import',
      params: idParams,
      response: { status: 200, description: 'The import', schema: customerImportSchema },
      errors: [404],
      handler: ({ principal, params }) => imports.get(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customer-imports/:id/preview',
      summary: 'Preview with another column mapping',
      tags,
      auth: 'customers.import',
      params: idParams,
      description:
        'The sample (the first rows) is checked as the import would check it, with the given mode, ' +
        'and nothing is written.',
      body: z
        .object({
          mapping: importOptionsSchema.shape.mapping,
          mode: z
            .enum(['create', 'upsert'])
            .optional()
            .meta({ description: 'The mode to check the sample with; defaults to the stored one' }),
        })
        .strict(),
      response: { status: 200, description: 'The preview', schema: importPreviewSchema },
      errors: [404],
      handler: ({ principal, params, body }) =>
        imports.preview(principal, params.id, body.mapping, body.mode),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/customer-imports/:id',
      summary: 'Remove an upload that was never started',
      description:
        'The import and its stored file are deleted. An import that was started is the record of ' +
        'what was imported and stays (409). Uploads never started also go by themselves after 7 days.',
      tags,
      auth: 'customers.import',
      params: idParams,
      response: { status: 204, description: 'Removed' },
      errors: [404, 409],
      handler: ({ principal, params }) => imports.remove(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-imports/:id/fix.csv',
      summary: 'The rows that were not imported, as uploaded, to fix and upload again',
      description:
        'The header and each failed row cell for cell as in the file (same delimiter), with a first ' +
        "column giving the reasons, in the agent's language unless `language` says otherwise " +
        '("Import error" / "Importfeil"); `headers=machine` names it `import_error` with the reasons ' +
        'in English. That column is ignored when the file is uploaded again.',
      tags,
      auth: 'customers.import',
      params: idParams,
      query: csvFormatQuerySchema.pick({ headers: true, language: true }),
      response: {
        status: 200,
        description: 'The fix file',
        contentType: 'text/csv',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ principal, params, query, reply }) => {
        const current = await imports.get(principal, params.id);
        const format = resolveCsvFormat(query, principal.locale);
        const base = current.filename.replace(/\.csv$/i, '').replace(/["\\\r\n]/g, '_');
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${base}-to-fix.csv"`)
          .send(Readable.from(imports.fixFile(principal, params.id, format)));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customer-imports/:id/start',
      summary: 'Start an import',
      tags,
      auth: 'customers.import',
      params: idParams,
      body: importOptionsSchema,
      response: { status: 202, description: 'Queued', schema: customerImportSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => imports.start(principal, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customer-imports/:id/errors.csv',
      summary: 'Every row that was not imported, with column and reason',
      description:
        "Headers and reasons in the agent's language, and the delimiter its Excel expects, unless " +
        '`headers`, `language` or `delimiter` say otherwise; `headers=machine&delimiter=comma` is ' +
        'the layout for scripts, with the reasons as English sentences.',
      tags,
      auth: 'customers.import',
      params: idParams,
      query: csvFormatQuerySchema,
      response: {
        status: 200,
        description: 'The error report (UTF-8 with BOM)',
        contentType: 'text/csv',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ principal, params, query, reply }) => {
        await imports.get(principal, params.id);
        const format = resolveCsvFormat(query, principal.locale);
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`)
          .send(Readable.from(imports.errorReport(principal, params.id, format)));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/export.csv',
      summary: 'Export the customer list as CSV',
      description:
        'The same filters as the list; streamed; re-imports unchanged. UTF-8 with a BOM; headers ' +
        "and delimiter follow the agent's language (Norwegian: semicolons and Norwegian headers) " +
        'unless `headers`, `language` or `delimiter` say otherwise; `headers=machine&delimiter=comma` ' +
        'is the layout for scripts.',
      tags: ['Customers'],
      auth: 'customers.export',
      query: customerListQuerySchema
        .omit({ limit: true, cursor: true })
        .extend(csvFormatQuerySchema.shape),
      response: {
        status: 200,
        description: 'The customers',
        contentType: 'text/csv',
        schema: z.string(),
      },
      handler: ({ principal, query, reply }) => {
        const { headers, language, delimiter, ...filter } = query;
        return sendCustomersCsv(reply, principal, filter, { headers, language, delimiter });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/export.csv',
      summary: 'Export chosen customers as CSV',
      description:
        'The customers named by `customerIds` (at most 5,000), in the layout of GET ' +
        '/api/v1/customers/export.csv, newest first. Customers the caller does not see are left ' +
        'out; when none is left the answer is 404.',
      tags: ['Customers'],
      auth: 'customers.export',
      body: customerExportSelectionSchema,
      response: {
        status: 200,
        description: 'The customers',
        contentType: 'text/csv',
        schema: z.string(),
      },
      errors: [404],
      handler: async ({ principal, body, reply }) => {
        const { customerIds, ...format } = body;
        const selected = await services.customers.listByIds(principal, customerIds);
        return sendCustomersCsv(reply, principal, { selected }, format);
      },
    }),
  ];
}
