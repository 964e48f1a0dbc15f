// /api/v1/customers/{id}/exports and /api/v1/exports: request a customer's data archive, list
// them, and download one (as an attachment, never cached, audited). Thin: the rules are in
// export.service.ts.
import { z } from 'zod';
import { customerExportSchema } from '../../common/export.ts';
import { pageSchema } from '../../common/paging.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { ExportService } from './export.service.ts';

const latestQuery = z.object({
  customerIds: z
    .string()
    .max(200 * 37)
    .transform((text) => text.split(',').filter(Boolean))
    .pipe(z.array(z.string().uuid('not a customer id')).max(200, 'at most 200 customer ids'))
    .meta({ description: 'Comma-separated customer ids (at most 200)' }),
});

export function exportRoutes(exports: ExportService) {
  const tags = ['Customer data archives'];
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/:id/exports',
      summary: "Request an archive of a customer's data",
      description:
        'Queues a zip archive of everything Kunde holds about the customer; the requesting agent ' +
        'gets an email when it is ready. While one is still being prepared, that one is answered (200).',
      tags,
      auth: 'customers.export',
      params: idParams,
      response: { status: 202, description: 'Queued', schema: customerExportSchema },
      errors: [404],
      handler: async ({ principal, params, reply }) => {
        const result = await exports.request(principal, params.id);
        void reply.status(result.created ? 202 : 200);
        return reply.send(result.export);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:id/exports',
      summary: "A customer's archives, newest first",
      tags,
      auth: 'customers.export',
      params: idParams,
      response: {
        status: 200,
        description: 'The archives and their states',
        schema: pageSchema(customerExportSchema),
      },
      errors: [404],
      handler: async ({ principal, params }) => {
        const items = await exports.list(principal, params.id);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports',
      summary: 'The newest archive of each of several customers',
      description: 'For a list of customers: customers without an archive are left out.',
      tags,
      auth: 'customers.export',
      query: latestQuery,
      response: {
        status: 200,
        description: 'The newest archive per customer',
        schema: pageSchema(customerExportSchema),
      },
      handler: async ({ principal, query }) => {
        const items = await exports.latest(principal, query.customerIds);
        return { items, total: items.length };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/:id/download',
      summary: 'Download an archive',
      description:
        'The zip, as an attachment, not cached. Each download is written into the customer’s ' +
        'audit trail; an expired (410), failed or unfinished (409) archive is refused and writes nothing.',
      tags,
      auth: 'customers.export',
      params: idParams,
      response: {
        status: 200,
        description: 'The zip archive',
        contentType: 'application/zip',
        schema: z.string(),
      },
      errors: [404, 409, 410],
      handler: async ({ principal, params, reply }) => {
        const download = await exports.download(principal, params.id);
        return reply
          .type('application/zip')
          .header('Content-Disposition', `attachment; filename="${download.filename}"`)
          .header('Content-Length', String(download.size))
          .header('Cache-Control', 'no-store')
          .header('X-Content-Type-Options', 'nosniff')
          .send(download.body);
      },
    }),
  ];
}
