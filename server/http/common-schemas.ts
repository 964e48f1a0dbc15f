// Path parameters shared by many routes.
import { z } from 'zod';

export const idParams = z.object({
  id: z.string().uuid('not a valid id').meta({ description: 'The resource id' }),
});
