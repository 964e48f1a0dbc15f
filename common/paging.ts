// The one list envelope every collection in the API answers with.
import { z } from 'zod';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 25;

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(200).optional(),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    totalCapped: z
      .boolean()
      .optional()
      .meta({ description: 'Present and true when counting stopped: there are more than `total`' }),
    nextCursor: z.string().optional(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  totalCapped?: boolean;
  nextCursor?: string;
}
