// /api/v1/duplicate-suggestions: the pairs Kunde suspects are one person (kept up as customers
// are written, duplicate-upkeep.ts), their count for the Customers menu, dismissing one.
// Thin routes: authenticate → validate → authorize → service → present.
import {
  duplicateCountSchema,
  duplicateListQuerySchema,
  duplicateSuggestionSchema,
} from '../../common/merge.ts';
import { pageSchema } from '../../common/paging.ts';
import { z } from 'zod';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute, type AnyRouteDef } from '../http/route.ts';
import type { Services } from '../services.ts';
import { DuplicateService } from './duplicate.service.ts';

export function duplicateRoutes(services: Services): AnyRouteDef[] {
  const duplicates = new DuplicateService(services.db.kysely, services.customers);
  const tags = ['Duplicate suggestions'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/duplicate-suggestions',
      summary: 'List possible duplicates',
      description:
        'Open (not dismissed) pairs of customers that may be one person, newest first, each ' +
        'with both customers and the reasons (same_phone, same_name_same_organization, ' +
        'email_subaddress, phone_in_custom_field; `detail` says what matched, `first…` and ' +
        '`second…` refer to the pair’s two customers in order). Only pairs whose two customers ' +
        'you can see. `customerId`: the pairs with that customer.',
      tags,
      auth: 'customers.view',
      query: duplicateListQuerySchema,
      response: {
        status: 200,
        description: 'A page of suggestions',
        schema: pageSchema(duplicateSuggestionSchema),
      },
      handler: ({ principal, query }) => duplicates.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/duplicate-suggestions/count',
      summary: 'Count possible duplicates',
      description: 'The open suggestions you can see, counted up to 1000 (then `capped`).',
      tags,
      auth: 'customers.view',
      query: z.object({
        customerId: z.string().uuid('not a customer id').optional(),
      }),
      response: { status: 200, description: 'The count', schema: duplicateCountSchema },
      handler: ({ principal, query }) => duplicates.count(principal, query.customerId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/duplicate-suggestions/:id/dismiss',
      summary: 'Dismiss a possible duplicate',
      description:
        'The pair is not one person: it leaves the list and stays dismissed, whatever later ' +
        'changes to the two customers would suggest.',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      response: {
        status: 200,
        description: 'The dismissed suggestion',
        schema: duplicateSuggestionSchema,
      },
      errors: [404],
      handler: ({ principal, params }) => duplicates.dismiss(principal, params.id),
    }),
  ];
}
