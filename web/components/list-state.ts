// Where an agent is in a list, kept in the URL (issue 16): the sort column and order, the page
// size, the page's cursor and its number, beside the list's own filters. A reload or a link
// shows the same page; each page turn is a history entry, so Back returns to the page before;
// a filter, sort or size change starts at the first page again. The cursors of the pages
// before are kept in the history entry's state for the APIs that give no cursor back.
import { useLocation, useNavigate, useSearchParams } from 'react-router';

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export type Order = 'asc' | 'desc';

/** The URL parameters the position takes; a filter change removes them. */
export const POSITION_PARAMS = ['cursor', 'page'] as const;

interface TrailState {
  listTrail?: (string | null)[];
}

export interface ListState<S extends string> {
  sort: S;
  order: Order;
  size: PageSize;
  cursor: string | undefined;
  /** 1 for the first page. */
  page: number;
  /** The 1-based position of the page's first row. */
  offset: number;
  /** Sorts by this column; the sorted column again turns the order around. */
  sortBy: (sort: S) => void;
  setSize: (size: PageSize) => void;
  next: (cursor: string) => void;
  /** The page before: by the cursor the API gave back, else the one kept in history. */
  previous: (previousCursor?: string) => void;
}

export function useListState<S extends string>(options: {
  sorts: readonly S[];
  defaultSort: S;
  defaultOrder: (sort: S) => Order;
  sizeKey?: string;
}): ListState<S> {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const rawSort = params.get('sort');
  const sort = options.sorts.find((s) => s === rawSort) ?? options.defaultSort;
  const rawOrder = params.get('order');
  const order: Order =
    rawOrder === 'asc' || rawOrder === 'desc' ? rawOrder : options.defaultOrder(sort);
  const rawSize = Number(params.get('size'));
  const size = PAGE_SIZES.find((s) => s === rawSize) ?? storedSize(options.sizeKey);
  const cursor = params.get('cursor') || undefined;
  const rawPage = Number(params.get('page'));
  const page = cursor && Number.isInteger(rawPage) && rawPage > 1 ? rawPage : 1;
  const trail = ((location.state as TrailState | null)?.listTrail ?? []).slice(0, page - 1);

  function go(change: (next: URLSearchParams) => void, state: TrailState, push: boolean) {
    const next = new URLSearchParams(params);
    change(next);
    const search = next.toString();
    void navigate(
      { pathname: location.pathname, search: search ? `?${search}` : '' },
      { replace: !push, state },
    );
    window.scrollTo({ top: 0 });
  }

  const firstPage = (next: URLSearchParams) => {
    for (const name of POSITION_PARAMS) next.delete(name);
  };

  return {
    sort,
    order,
    size,
    cursor,
    page,
    offset: (page - 1) * size + 1,
    sortBy: (column) =>
      go(
        (next) => {
          firstPage(next);
          const nextOrder =
            column === sort ? (order === 'asc' ? 'desc' : 'asc') : options.defaultOrder(column);
          if (column === options.defaultSort && nextOrder === options.defaultOrder(column)) {
            next.delete('sort');
            next.delete('order');
          } else {
            next.set('sort', column);
            next.set('order', nextOrder);
          }
        },
        {},
        true,
      ),
    setSize: (value) => {
      if (options.sizeKey) localStorage.setItem(options.sizeKey, String(value));
      go(
        (next) => {
          firstPage(next);
          next.set('size', String(value));
        },
        {},
        true,
      );
    },
    next: (value) =>
      go(
        (next) => {
          next.set('cursor', value);
          next.set('page', String(page + 1));
        },
        { listTrail: [...trail, cursor ?? null] },
        true,
      ),
    previous: (previousCursor) => {
      const back = previousCursor ?? (page > 2 ? (trail[page - 2] ?? undefined) : undefined);
      go(
        (next) => {
          if (page <= 2 || !back) firstPage(next);
          else {
            next.set('cursor', back);
            next.set('page', String(page - 1));
          }
        },
        { listTrail: trail.slice(0, -1) },
        true,
      );
    },
  };
}

function storedSize(key: string | undefined): PageSize {
  if (!key) return 25;
  try {
    const value = Number(localStorage.getItem(key));
    return PAGE_SIZES.find((s) => s === value) ?? 25;
  } catch {
    return 25;
  }
}

/** Sets or clears one filter in the URL and goes back to the first page. */
export function withFilter(
  current: URLSearchParams,
  name: string,
  value: string | null,
): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const position of POSITION_PARAMS) next.delete(position);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}
