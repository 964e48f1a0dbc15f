// The customer list's keyset paging (issue 16): which walk a request asks for, and the cursors
// a page gives out. A cursor names its sort and order, so one from another sort is refused
// rather than read as a position it is not; a cursor from before sorting ({ n }) still pages
// the default order. The page before is read by walking the other way from the page's first
// customer (previousCursor), so Previous works after a reload with only the cursor in the URL.
import { fieldError } from '../../common/field-error-codes.ts';
import { defaultOrder, type CustomerSort, type SortOrder } from '../../common/customer-list.ts';
import { ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import type { SortPosition, SortWalk, SortedRow } from './customer-sort.repository.ts';

interface ListCursor extends SortPosition {
  s?: CustomerSort;
  d?: SortOrder;
  /** 1: the page before this position. */
  b?: number;
}

export const NOT_WITH_SEARCH = 'search results come newest first and cannot be sorted';

export interface ListWalk {
  walk: SortWalk;
  backwards: boolean;
  /** The request came with a cursor: this is not the first page. */
  paged: boolean;
}

export function listWalk(
  query: { sort?: CustomerSort; order?: SortOrder; cursor?: string },
  searching: boolean,
): ListWalk {
  const sort = query.sort ?? 'number';
  const order = query.order ?? defaultOrder(sort);
  if (searching && (sort !== 'number' || order !== 'desc'))
    throw new ValidationError([fieldError('sort', 'not_with_search', NOT_WITH_SEARCH)]);
  const cursor = query.cursor ? readCursor(query.cursor) : undefined;
  if (cursor && ((cursor.s ?? 'number') !== sort || (cursor.d ?? 'desc') !== order))
    throw new ValidationError([
      fieldError('cursor', 'invalid_cursor', 'not a cursor for this sort order'),
    ]);
  const backwards = cursor?.b === 1;
  return {
    walk: {
      sort,
      descending: (order === 'desc') !== backwards,
      after: cursor && { n: cursor.n, k: cursor.k, o: cursor.o, g: cursor.g },
    },
    backwards,
    paged: cursor !== undefined,
  };
}

/** A page of `limit` from rows read with limit + 1, and the cursors on either side of it. */
export function pageOf(
  list: ListWalk,
  order: { sort?: CustomerSort; order?: SortOrder },
  rows: SortedRow[],
  limit: number,
): { rows: SortedRow[]; nextCursor?: string; previousCursor?: string } {
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (list.backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const hasNext = list.backwards ? true : more;
  const hasPrevious = list.backwards ? more : list.paged;
  const s = order.sort ?? 'number';
  const d = order.order ?? defaultOrder(s);
  return {
    rows: page,
    ...(hasNext && last ? { nextCursor: encodeCursor({ ...strip(last.position), s, d }) } : {}),
    ...(hasPrevious && first
      ? { previousCursor: encodeCursor({ ...strip(first.position), s, d, b: 1 }) }
      : {}),
  };
}

function strip(position: SortPosition): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(position).filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined,
    ),
  );
}

function readCursor(cursor: string): ListCursor {
  return decodeCursor(cursor, (v): v is ListCursor & Record<string, string | number> => {
    if (typeof v.n !== 'number') return false;
    for (const part of ['k', 'o', 'g', 's', 'd'] as const)
      if (v[part] !== undefined && typeof v[part] !== 'string') return false;
    if (
      v.s !== undefined &&
      !['number', 'name', 'email', 'organization', 'created', 'lastActivity'].includes(
        v.s as string,
      )
    )
      return false;
    if (v.d !== undefined && v.d !== 'asc' && v.d !== 'desc') return false;
    if (v.b !== undefined && v.b !== 1) return false;
    // A key sort needs its key; an organization position its organization.
    if (v.s && v.s !== 'number' && v.s !== 'organization' && typeof v.k !== 'string') return false;
    if (v.s === 'organization' && (typeof v.g !== 'string' || typeof v.o !== 'string'))
      return false;
    return true;
  });
}
