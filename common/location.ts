// Locations of an organization (an address) and areas inside a location (a floor, a department,
// a site); a ticket can carry organization › location › area. Shapes of
// /api/v1/organizations/{id}/locations and …/locations/{locationId}/areas, for server and console.
import { z } from 'zod';

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const locationName = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(200, 'at most 200 characters');

const locationFields = {
  addressLine1: text(200).nullish(),
  addressLine2: text(200).nullish(),
  postalCode: text(20).nullish(),
  city: text(100).nullish(),
  country: text(100).nullish(),
  phone: text(40).nullish(),
  notes: text(10_000).nullish(),
};

export const locationCreateSchema = z
  .object({ name: locationName, ...locationFields, active: z.boolean().optional() })
  .strict()
  .meta({ id: 'LocationCreate' });
export type LocationCreate = z.infer<typeof locationCreateSchema>;

export const locationUpdateSchema = z
  .object({ name: locationName.optional(), ...locationFields, active: z.boolean().optional() })
  .strict()
  .meta({ id: 'LocationUpdate' });
export type LocationUpdate = z.infer<typeof locationUpdateSchema>;

export const areaSchema = z
  .object({
    id: z.string(),
    locationId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Area' });
export type Area = z.infer<typeof areaSchema>;

export const locationSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    phone: z.string().nullable(),
    notes: z.string().nullable(),
    active: z.boolean(),
    areas: z.array(areaSchema).meta({ description: 'Every area of the location, active or not' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Location' });
export type Location = z.infer<typeof locationSchema>;

export const areaCreateSchema = z
  .object({
    name: locationName,
    description: text(2_000).nullish(),
    active: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'AreaCreate' });
export type AreaCreate = z.infer<typeof areaCreateSchema>;

export const areaUpdateSchema = z
  .object({
    name: locationName.optional(),
    description: text(2_000).nullish(),
    active: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'AreaUpdate' });
export type AreaUpdate = z.infer<typeof areaUpdateSchema>;

export const locationListQuerySchema = z.object({
  status: z
    .enum(['active', 'all'])
    .default('all')
    .meta({ description: '`active` leaves out deactivated locations and areas (ticket pickers)' }),
});

/** "Address line 1, 0150 Oslo, Norway": one line for lists and the ticket panel. */
export function locationAddress(
  l: Pick<Location, 'addressLine1' | 'addressLine2' | 'postalCode' | 'city' | 'country'>,
): string {
  const town = [l.postalCode, l.city].filter(Boolean).join(' ');
  return [l.addressLine1, l.addressLine2, town, l.country].filter(Boolean).join(', ');
}
