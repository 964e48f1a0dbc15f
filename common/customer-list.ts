// How the customer list is sorted and paged (issue 16): the sort keys the API and the console
// share. Kept apart from customer.ts so the list query can extend itself with them without a
// cycle.
import { z } from 'zod';

/** The columns a list of customers can be sorted by; `number` (newest first) is the default. */
export const CUSTOMER_SORTS = [
  'number',
  'name',
  'email',
  'organization',
  'created',
  'lastActivity',
] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const customerSortFields = {
  sort: z
    .enum(CUSTOMER_SORTS)
    .optional()
    .meta({
      description:
        'The column to sort by: `name` (first and last name, case-insensitive; customers ' +
        'without a name first), `email` (without an email first), `organization` (by its ' +
        'name; customers without an organization after every organization), `created`, ' +
        '`lastActivity` (the creation time for a customer never active), `number`. Ties are ' +
        'broken by `number`. By default `number`. Not with `q`: search results come newest first.',
    }),
  order: z.enum(SORT_ORDERS).optional().meta({
    description:
      'Ascending or descending; by default `desc` for `number`, `created` and `lastActivity`, `asc` for the rest',
  }),
};

/** The order a sort runs in when the request does not say. */
export function defaultOrder(sort: CustomerSort): SortOrder {
  return sort === 'number' || sort === 'created' || sort === 'lastActivity' ? 'desc' : 'asc';
}
